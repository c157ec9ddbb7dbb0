using System.Diagnostics;

namespace Platform.Tests.Integration;

/// <summary>Runs an outside client (python3, amqp-tools) as a child process and collects what it printed.</summary>
public static class ChildProcess
{
    /// <summary>Debian's python3, which has python3-pika; PLATFORM_TEST_PYTHON points elsewhere.</summary>
    public static string Python => Environment.GetEnvironmentVariable("PLATFORM_TEST_PYTHON") ?? "/usr/bin/python3";

    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string program, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A bound, not a timing assertion: the clients give up by themselves well before this.
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
