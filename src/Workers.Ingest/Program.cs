using Platform.Infrastructure.Hosting;
using Platform.Workers.Ingest;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults();
builder.AddIngestWorker();

var app = builder.Build();
app.MapPlatformHealth();
app.Run();
