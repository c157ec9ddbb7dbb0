using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Platform.ServiceDefaults;

public static class TelemetryExtensions
{
    /// <summary>Buckets of the platform's duration histograms: jobs take from milliseconds (probes) to an hour (dumps).</summary>
    private static readonly double[] JobSecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    /// <summary>
    /// OpenTelemetry: metrics of the platform's meters and the libraries it uses for <c>/metrics</c> (Prometheus) and,
    /// when <c>Telemetry:OtlpEndpoint</c> is set, traces and metrics over OTLP. Trace ids are in every log line either way.
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

        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint) ? endpoint : null;
        var serviceName = string.IsNullOrWhiteSpace(options.ServiceName) ? builder.Environment.ApplicationName : options.ServiceName;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString(),
                serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. PlatformMetrics.ExportedMeters])
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddView("platform.job.duration", new ExplicitBucketHistogramConfiguration { Boundaries = JobSecondsBuckets })
                    .AddPrometheusExporter();
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(e => Configure(e, otlp, options.OtlpProtocol, "v1/metrics"));
                }
            });
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource([.. PlatformMetrics.TracedSources])
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(e => Configure(e, otlp, options.OtlpProtocol, "v1/traces")));
        }
        else
        {
            services.AddHostedService<TraceContextListener>();
        }
        return builder;
    }

    /// <summary><c>GET /metrics</c> in the Prometheus text format (OpenTelemetry's exporter), for anyone who can reach the port.</summary>
    public static WebApplication MapPlatformMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        return app;
    }

    private static void Configure(OtlpExporterOptions exporter, Uri endpoint, string protocol, string signalPath)
    {
        if (protocol == "http/protobuf")
        {
            // Set in code, the HTTP endpoint is used as the full URL: the signal's path is not appended for us.
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.Endpoint = endpoint.AbsolutePath is "" or "/" ? new Uri(endpoint, signalPath) : endpoint;
        }
        else
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
        }
    }
}

/// <summary>
/// Without an OTLP exporter nothing listens to the traced libraries, and they then skip their activities: this
/// listener makes them create activities for propagation only (nothing is recorded), so the W3C trace context still
/// travels API → RabbitMQ → worker and every log line carries the trace id.
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
