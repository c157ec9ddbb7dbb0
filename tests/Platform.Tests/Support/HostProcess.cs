using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Platform.Tests.Support;

/// <summary>
/// One platform host (API or a worker) run as its own operating-system process, the way it is deployed:
/// configured by environment variables, reachable on a free loopback port, stopped by pid.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public static readonly (string Folder, string Assembly) Api = ("Api", "Platform.Api");
    /// <summary>Single-process mode: the API with the three workers in one process (README's first command).</summary>
    public static readonly (string Folder, string Assembly) Standalone = ("Standalone", "Platform.Standalone");
    public static readonly (string Folder, string Assembly) Ingest = ("Workers.Ingest", "Platform.Workers.Ingest");
    public static readonly (string Folder, string Assembly) Ai = ("Workers.Ai", "Platform.Workers.Ai");
    public static readonly (string Folder, string Assembly) Backup = ("Workers.Backup", "Platform.Workers.Backup");

    private HostProcess(string name, Process process, Uri baseAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<HostProcess> StartAsync((string Folder, string Assembly) host, IReadOnlyDictionary<string, string> environment,
        string workingDirectory)
    {
        var port = FreePort();
        return StartAsync(host, environment, workingDirectory, ["--urls", $"http://127.0.0.1:{port}"], new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>A host told where to listen by <paramref name="arguments"/> or <paramref name="environment"/>, expected at <paramref name="baseAddress"/>.</summary>
    public static async Task<HostProcess> StartAsync((string Folder, string Assembly) host, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, IReadOnlyList<string> arguments, Uri baseAddress)
    {
        var host_ = Launch(host, environment, workingDirectory, arguments, baseAddress);
        await host_.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return host_;
    }

    /// <summary>Starts a host expected to stop by itself; its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync((string Folder, string Assembly) host,
        IReadOnlyDictionary<string, string> environment, string workingDirectory, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        await using var host_ = Launch(host, environment, workingDirectory, arguments, new Uri("http://127.0.0.1/"));
        using var cts = new CancellationTokenSource(timeout);
        await host_._process.WaitForExitAsync(cts.Token);
        host_._process.WaitForExit(); // drains the redirected output
        return (host_._process.ExitCode, host_.Output);
    }

    private static HostProcess Launch((string Folder, string Assembly) host, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, IReadOnlyList<string> arguments, Uri baseAddress)
    {
        var dll = RepoPaths.HostDll(host.Folder, host.Assembly);
        Assert.That(File.Exists(dll), Is.True, $"{dll} is not built");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        var host_ = new HostProcess(host.Assembly, process, baseAddress);
        process.OutputDataReceived += (_, e) => host_.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host_.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host_;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"{Name} exited with {_process.ExitCode} while starting:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync("health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        Assert.Fail($"{Name} was not ready within {timeout}:\n{Output}");
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            TestContext.Out.WriteLine($"--- {Name} output ---\n{Output}");
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
