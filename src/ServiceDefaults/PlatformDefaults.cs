using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.ServiceDefaults;

public static class PlatformDefaults
{
    /// <summary>
    /// The builder every host program starts from. Its content root is the folder of the program's own files rather
    /// than the working directory, so the appsettings.json shipped beside the binary apply however the process is
    /// started (a container, systemd, a test, a benchmark). Relative data paths still resolve against the working directory.
    /// </summary>
    /// <param name="defaultPort">Where the host listens when no standard setting says (<see cref="ListenAddresses"/>).</param>
    public static WebApplicationBuilder CreatePlatformBuilder(string[] args, int defaultPort = HostPorts.Api)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        ListenAddresses.ApplyDefaultPort(builder, defaultPort);
        return builder;
    }

    /// <summary>
    /// What every host needs and nothing more: JSON logs with trace ids, metrics and traces, a clock, health checks.
    /// Each host then opts into the concerns it uses (<c>AddPlatformData</c>, <c>AddJobEngine</c>, <c>AddPlatformSearch</c>, …).
    /// </summary>
    public static IHostApplicationBuilder AddPlatformDefaults(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks();
        builder.AddPlatformTelemetry();
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers and nothing tagged "live" (the bus watchdog) asks for a restart.
    /// <c>/health/ready</c>: database and broker reachable (MassTransit tags its
    /// bus check "ready"). <c>/health/startup</c>: the schema is migrated.
    /// </summary>
    public static WebApplication MapPlatformHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = c => c.Tags.Contains(HealthTags.Live), ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(HealthTags.Ready), ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks("/health/startup", new() { Predicate = c => c.Tags.Contains(HealthTags.Startup), ResponseWriter = HealthResponse.WriteAsync });
        app.MapPlatformMetrics();
        return app;
    }
}

public static class HealthTags
{
    public const string Live = "live";
    public const string Ready = "ready";
    public const string Startup = "startup";
}
