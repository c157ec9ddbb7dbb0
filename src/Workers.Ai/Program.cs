using Platform.Infrastructure.Hosting;
using Platform.Workers.Ai;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults();
builder.AddAiWorker();

var app = builder.Build();
app.MapPlatformHealth();
app.Run();
