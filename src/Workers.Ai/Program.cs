using Platform.Infrastructure.Hosting;
using Platform.Workers.Ai;

var builder = PlatformDefaults.CreatePlatformBuilder(args);
builder.AddPlatformDefaults();
builder.AddAiWorker();

var app = builder.Build();
app.MapPlatformHealth();
app.Run();
