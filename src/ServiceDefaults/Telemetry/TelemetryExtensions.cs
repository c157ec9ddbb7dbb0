using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.ServiceDefaults;

public static class TelemetryExtensions
{
    /// <summary>
    /// Metrics for <c>/metrics</c>, trace ids in every log line, and OTLP export of traces and
    /// metrics when <c>Telemetry:OtlpEndpoint</c> is set.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformTelemetry(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.OtlpEndpoint) || Uri.IsWellFormedUriString(o.OtlpEndpoint, UriKind.Absolute),
                "Telemetry:OtlpEndpoint must be an absolute URI such as http://otel-collector:4317.")
            .Validate(o => o.OtlpProtocol is "grpc" or "http/protobuf", "Telemetry:OtlpProtocol must be grpc or http/protobuf.")
            .ValidateOnStart();
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        services.AddSingleton(_ => new PrometheusExporter(PlatformMetrics.ExportedMeters));
        // Started with the host, not at the first scrape: measurements made before the listener exists are lost.
        services.AddHostedService(sp => sp.GetRequiredService<PrometheusExporter>());
        services.AddHostedService<OtlpExport>();
        services.AddHostedService<TraceContextListener>();
        return builder;
    }

    /// <summary><c>GET /metrics</c> in the Prometheus text format, and HTTP tags on request spans.</summary>
    public static WebApplication MapPlatformMetrics(this WebApplication app)
    {
        app.UseRequestSpanTags();
        app.MapGet("/metrics", (PrometheusExporter exporter) =>
                Results.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .ExcludeFromDescription()
            .AllowAnonymous();
        return app;
    }
}

/// <summary>
/// Makes the traced libraries create activities even with no exporter (they skip it when nobody listens), so the
/// W3C trace context still travels API → RabbitMQ → worker and every log line carries the trace id.
/// Propagation only: nothing is recorded unless OTLP export samples it too.
/// </summary>
public sealed class TraceContextListener : IHostedService, IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => PlatformMetrics.TracedSources.Contains(source.Name),
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
    };

    public TraceContextListener() => ActivitySource.AddActivityListener(_listener);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
