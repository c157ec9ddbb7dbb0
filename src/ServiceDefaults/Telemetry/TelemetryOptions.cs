namespace Platform.ServiceDefaults;

/// <summary>Section <c>Telemetry</c>. The Prometheus endpoint <c>/metrics</c> is always on; OTLP export only when an endpoint is set.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>OTLP collector, e.g. <c>http://otel-collector:4317</c>. Empty: no export (traces still propagate, logs still carry trace ids).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (default, port 4317) or <c>http/protobuf</c> (port 4318; <c>/v1/traces</c> and <c>/v1/metrics</c> are appended).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary><c>service.name</c> on exported traces and metrics. Default: the host's application name (e.g. <c>Platform.Api</c>).</summary>
    public string? ServiceName { get; set; }
}
