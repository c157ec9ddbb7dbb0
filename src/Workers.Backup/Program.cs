using Platform.Infrastructure.Hosting;
using Platform.Workers.Backup;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults();
builder.AddBackupWorker();

var app = builder.Build();
app.MapPlatformHealth();
app.Run();
