using Platform.Api;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.Search;
using Platform.ServiceDefaults;
using Platform.Workers.Ai;
using Platform.Workers.Backup;
using Platform.Workers.Ingest;

// Single-process mode: everything the distributed shape runs as four processes, in one. With Bus:RabbitMqUri set it
// still works (the consumers then take their commands from the broker), which is how a small install can start.
var builder = PlatformDefaults.CreatePlatformBuilder(args);
builder.AddPlatformDefaults();
builder.AddPlatformData();
builder.AddJobEngine();
builder.AddPlatformBlobs();
builder.AddPlatformSearch();
builder.AddPlatformApi();
builder.AddIngestServices();
builder.AddAiServices();
builder.AddBackupServices();
builder.AddPlatformBus(bus =>
{
    bus.AddIngestConsumers();
    bus.AddAiConsumers();
    bus.AddBackupConsumers();
});

var app = builder.Build();
app.UsePlatformApi();
app.MapPlatformHealth();
app.MapPlatformApi();
app.RunPlatform();
