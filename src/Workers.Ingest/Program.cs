using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.ServiceDefaults;
using Platform.Workers.Ingest;

var builder = PlatformDefaults.CreatePlatformBuilder(args, defaultPort: HostPorts.Ingest);
builder.AddPlatformDefaults();
builder.AddPlatformData();
builder.AddJobEngine();
builder.AddPlatformBlobs();
builder.AddIngestWorker();

var app = builder.Build();
app.MapPlatformHealth();
app.RunPlatform();
