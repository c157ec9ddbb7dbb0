using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Platform.ServiceDefaults;

/// <summary>
/// Traces and metrics to an OTLP collector. OpenTelemetry.Extensions.Hosting is not obtainable here, so the
/// providers are built with Sdk.Create…Builder at start and disposed (flushing what is buffered) at shutdown.
/// </summary>
internal sealed class OtlpExport(IOptions<TelemetryOptions> options, IHostEnvironment environment, ILogger<OtlpExport> logger)
    : IHostedService, IDisposable
{
    private TracerProvider? _tracer;
    private MeterProvider? _meter;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.OtlpEndpoint))
        {
            return Task.CompletedTask;
        }
        var endpoint = new Uri(o.OtlpEndpoint);
        var serviceName = string.IsNullOrWhiteSpace(o.ServiceName) ? environment.ApplicationName : o.ServiceName;
        var resource = ResourceBuilder.CreateDefault()
            .AddService(serviceName, serviceVersion: typeof(OtlpExport).Assembly.GetName().Version?.ToString(), serviceInstanceId: Environment.MachineName);
        _tracer = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource([.. PlatformMetrics.TracedSources])
            .AddOtlpExporter(e => Configure(e, endpoint, o.OtlpProtocol, "v1/traces"))
            .Build();
        _meter = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter([.. PlatformMetrics.ExportedMeters])
            .AddOtlpExporter(e => Configure(e, endpoint, o.OtlpProtocol, "v1/metrics"))
            .Build();
        logger.LogInformation("Exporting traces and metrics over OTLP to {Endpoint} as {ServiceName}", endpoint, serviceName);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _tracer?.Dispose();
        _meter?.Dispose();
        _tracer = null;
        _meter = null;
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
