using Platform.Infrastructure.Hosting;
using Platform.Workers.Ingest;

var builder = PlatformDefaults.CreatePlatformBuilder(args);
builder.AddPlatformDefaults();
builder.AddIngestWorker();

var app = builder.Build();
app.MapPlatformHealth();
app.Run();
