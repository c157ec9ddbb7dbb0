using System.Diagnostics;
using System.Net.Sockets;
using Platform.Blobs;
using Platform.Tests.Support;

namespace Platform.Tests.Backup;

/// <summary>
/// s3rver (npm, an S3-compatible server) on a free loopback port with its own data folder, for one fixture.
/// Installed from tests/Platform.Tests/Backup/s3rver/package.json on first use; stopped by its pid.
/// </summary>
public sealed class S3rverProcess : IAsyncDisposable
{
    public const string Bucket = "backups";
    private readonly Process _process;
    private readonly string _directory;

    private S3rverProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>s3rver's fixed credentials.</summary>
    public S3BlobOptions Options(string prefix = "") => new()
    {
        ServiceUrl = $"http://127.0.0.1:{Port}", Bucket = Bucket, AccessKey = "S3RVER", SecretKey = "S3RVER", Prefix = prefix,
        PartSizeBytes = 5 * 1024 * 1024,
    };

    public static async Task<S3rverProcess> StartAsync()
    {
        var package = Path.Combine(RepoPaths.Root, "tests", "Platform.Tests", "Backup", "s3rver");
        var script = Path.Combine(package, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            await RunAsync("npm", package, "install", "--no-audit", "--no-fund");
        }
        var directory = Directory.CreateTempSubdirectory("platform-s3rver-").FullName;
        var port = HostProcess.FreePort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--directory", directory, "--address", "127.0.0.1", "--port", port.ToString(), "--silent",
                "--configure-bucket", Bucket },
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new S3rverProcess(process, directory, port);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port, limit.Token);
                return server;
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(100, limit.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        TestFolders.Delete(_directory);
    }

    private static async Task RunAsync(string program, string directory, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.EqualTo(0), $"{program} {string.Join(' ', args)}: {await output}{await errors}");
    }
}
