using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.ServiceDefaults;
using Platform.Workers.Backup;
using Platform.Workers.Backup.Restore;

// The operator's restore runs in this same program (docs/backup-runbook.md), then exits.
if (RestoreCommand.Matches(args))
{
    return await RestoreCommand.RunAsync(args);
}

var builder = PlatformDefaults.CreatePlatformBuilder(args, defaultPort: HostPorts.Backup);
builder.AddPlatformDefaults();
builder.AddPlatformData();
builder.AddJobEngine();
builder.AddPlatformBlobs();
builder.AddBackupWorker();

var app = builder.Build();
app.MapPlatformHealth();
return app.RunPlatform();
