namespace Platform.Tests.Support;

/// <summary>
/// What a test of the deployed shape needs: a fresh PostgreSQL database, a RabbitMQ virtual host of its own, a work
/// folder for blobs, and the settings that point every host process at them (schedules off, so only the test acts).
/// </summary>
public sealed class DistributedEnvironment : IAsyncDisposable
{
    private DistributedEnvironment(PostgresDatabase database, RabbitVhost vhost, string workDirectory)
    {
        Database = database;
        Vhost = vhost;
        WorkDirectory = workDirectory;
    }

    public PostgresDatabase Database { get; }

    public RabbitVhost Vhost { get; }

    public string WorkDirectory { get; }

    public string BlobRoot => Path.Combine(WorkDirectory, "blobs");

    public static async Task<DistributedEnvironment> CreateAsync(string name) =>
        new(await PostgresDatabase.CreateAsync(), await RabbitVhost.CreateAsync(),
            Directory.CreateTempSubdirectory($"platform-{name}-").FullName);

    /// <summary>The host settings (environment variables) of this environment, with <paramref name="extra"/> added or overriding.</summary>
    public Dictionary<string, string> Settings(IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["Database__ConnectionString"] = Database.ConnectionString,
            ["Bus__RabbitMqUri"] = Vhost.AmqpUri,
            ["Blobs__Root"] = BlobRoot,
            ["Scheduler__Enabled"] = "false",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        return settings;
    }

    public Task<HostProcess> StartAsync((string Folder, string Assembly) host, IReadOnlyDictionary<string, string>? extra = null) =>
        HostProcess.StartAsync(host, Settings(extra), WorkDirectory);

    public async ValueTask DisposeAsync()
    {
        await Vhost.DisposeAsync();
        await Database.DisposeAsync();
        TestFolders.Delete(WorkDirectory);
    }
}
