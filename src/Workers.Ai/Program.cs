using Platform.Data;
using Platform.Jobs;
using Platform.Search;
using Platform.ServiceDefaults;
using Platform.Workers.Ai;

var builder = PlatformDefaults.CreatePlatformBuilder(args, defaultPort: HostPorts.Ai);
builder.AddPlatformDefaults();
builder.AddPlatformData();
builder.AddJobEngine();
builder.AddPlatformSearch();
builder.AddAiWorker();

var app = builder.Build();
app.MapPlatformHealth();
app.RunPlatform();
