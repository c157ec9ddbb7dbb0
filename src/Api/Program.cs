using Platform.Api;
using Platform.Infrastructure.Hosting;

var builder = PlatformDefaults.CreatePlatformBuilder(args);
builder.AddPlatformDefaults();
builder.AddPlatformApi();
builder.AddApiBus(); // with the three workers in-process when no broker is configured

var app = builder.Build();
app.UsePlatformApi();
app.MapPlatformHealth();
app.MapPlatformApi();
app.Run();
