using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.ServiceDefaults;
using Platform.Workers.Backup;

namespace Platform.Tests.Backup;

/// <summary>The backup worker in this process (in-memory bus) against a given database and blob folder.</summary>
public sealed class BackupWorkerHost : IAsyncDisposable
{
    private readonly IHost _host;

    private BackupWorkerHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<BackupWorkerHost> StartAsync(string provider, string connectionString, string blobRoot,
        IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["Database:ConnectionString"] = connectionString,
            ["Blobs:Root"] = blobRoot,
            ["Bus:RetryLimit"] = "0",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.AddPlatformDefaults();
        builder.AddPlatformData();
        builder.AddJobEngine();
        builder.AddPlatformBlobs();
        builder.AddBackupWorker();
        builder.Services.AddJobSubmission(); // as the API registers it
        var host = builder.Build();
        await host.StartAsync();
        return new BackupWorkerHost(host);
    }

    public async Task<Job> RunAsync(string type, object? input = null)
    {
        var job = await Services.GetRequiredService<JobSubmitter>().SubmitAsync(SystemTenant.Id, type, input);
        return await WaitAsync(job.Id);
    }

    /// <summary>Waits for the job to end (the limit only stops a hung test; it is not a timing assertion).</summary>
    public async Task<Job> WaitAsync(Guid jobId)
    {
        var jobs = Services.GetRequiredService<JobStore>();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            var job = await jobs.GetAsync(jobId);
            if (job is { IsFinished: true })
            {
                return job;
            }
            await Task.Delay(100, limit.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
