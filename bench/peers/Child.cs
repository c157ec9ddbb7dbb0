using System.Diagnostics;
using System.Globalization;

namespace Platform.Bench.Peers;

/// <summary>A peer's process (a Hangfire server, a Celery worker, a submitter), its output in a log file, stopped by pid.</summary>
public sealed class Child : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private Child(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public int Pid => _process.Id;

    public static Child Start(string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(start)!;
        var child = new Child(process, log);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs to the end; throws with the log's path when it fails.</summary>
    public async Task WaitAsync(TimeSpan timeout, string logPath)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode}; see {logPath}");
        }
    }

    /// <summary>SIGTERM (a graceful stop: Celery's warm shutdown, the Hangfire server's dispose), then SIGKILL after 60 s.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    private string? _cpuLine;

    /// <summary>
    /// CPU seconds the process reported spending on its work: a last output line "cpu START END" (its own user +
    /// system time read after its start-up and at its end).
    /// </summary>
    public double ReportedCpuSeconds()
    {
        var parts = (_cpuLine ?? throw new InvalidOperationException("the process reported no cpu line")).Split(' ');
        return double.Parse(parts[2], CultureInfo.InvariantCulture) - double.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            if (line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                _cpuLine = line;
            }
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _process.WaitForExitAsync();
        lock (_log)
        {
            _log.Dispose();
        }
        _process.Dispose();
    }
}
