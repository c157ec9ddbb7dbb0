using Platform.Api;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.Search;
using Platform.ServiceDefaults;

// The REST API and the dashboard of the distributed shape; the workers run as their own processes.
// Single-process mode (API and workers in one process) is src/Standalone.
var builder = PlatformDefaults.CreatePlatformBuilder(args);
builder.AddPlatformDefaults();
builder.AddPlatformData();
builder.AddJobEngine();
builder.AddPlatformBlobs();
builder.AddPlatformSearch();
builder.AddPlatformApi();
builder.AddPlatformBus();

var app = builder.Build();
app.UsePlatformApi();
app.MapPlatformHealth();
app.MapPlatformApi();
app.RunPlatform();
