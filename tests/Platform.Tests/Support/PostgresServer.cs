using System.Diagnostics;
using Npgsql;

namespace Platform.Tests.Support;

/// <summary>
/// A PostgreSQL server of this test's own (initdb into a temp folder, a free loopback port), so a test can stop and
/// start it without touching the shared server other tests use. Needs root (it runs the server as 'postgres').
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _data;

    private PostgresServer(string data, int port)
    {
        _data = data;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5;Command Timeout=15";

    public static async Task<PostgresServer> StartNewAsync()
    {
        var root = Directory.CreateTempSubdirectory("platform-pg-").FullName;
        var data = Path.Combine(root, "data");
        await RunAsync("chown", "postgres", root);
        await RunAsync("runuser", "-u", "postgres", "--", $"{Bin}/initdb", "-D", data, "-A", "trust", "-U", "postgres");
        var server = new PostgresServer(data, HostProcess.FreePort());
        await server.StartAsync();
        await using var c = new NpgsqlConnection(server.ConnectionString());
        await c.OpenAsync();
        await new NpgsqlCommand("CREATE DATABASE platform", c).ExecuteNonQueryAsync();
        return server;
    }

    public Task StartAsync() =>
        RunAsync("runuser", "-u", "postgres", "--", $"{Bin}/pg_ctl", "-D", _data, "-w", "-l", _data + "/server.log",
            "-o", $"-k /tmp -p {Port} -c listen_addresses=127.0.0.1 -c fsync=off", "start");

    /// <summary>Immediate shutdown: connections drop as they would if the server crashed.</summary>
    public Task StopAsync() => RunAsync("runuser", "-u", "postgres", "--", $"{Bin}/pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }
        TestFolders.Delete(Path.GetDirectoryName(_data)!);
    }

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {output}");
        }
    }
}
