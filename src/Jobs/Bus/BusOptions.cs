using System.ComponentModel.DataAnnotations;

namespace Platform.Jobs;

/// <summary>Message bus. Section <c>Bus</c>. With no RabbitMQ URI the in-memory transport is used (single process).</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";

    /// <summary>For example <c>amqp://guest:guest@127.0.0.1:5672/</c>. Empty: in-memory transport.</summary>
    public string? RabbitMqUri { get; set; }

    /// <summary>Messages a consumer process takes from each queue before acknowledging (default 16).</summary>
    [Range(1, 1000)]
    public int PrefetchCount { get; set; } = 16;

    /// <summary>Retries of a transient failure before the job fails and the message goes to the error queue (default 3).</summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 3;

    /// <summary>First retry delay; later ones double, with jitter (default 1 s).</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public bool UsesRabbitMq => !string.IsNullOrWhiteSpace(RabbitMqUri);
}
