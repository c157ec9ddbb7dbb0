using System.ComponentModel.DataAnnotations;

namespace Platform.Jobs;

/// <summary>Message bus. Section <c>Bus</c>. With no RabbitMQ URI the in-memory transport is used (single process).</summary>
public sealed class BusOptions : IValidatableObject
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

    /// <summary>How often the bus watchdog proves the bus can still send (a publish the broker confirms; default 5 s).</summary>
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the bus may be unable to send, or a command queue of this host stay without its consumer, before
    /// <c>/health/ready</c> reports unhealthy (default 30 s; a forced connection close recovers in 0.5–6 s).
    /// </summary>
    public TimeSpan WatchdogReadyAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The same, before <c>/health/live</c> reports unhealthy so the orchestrator restarts the process (default 2 min).
    /// </summary>
    public TimeSpan WatchdogLiveAfter { get; set; } = TimeSpan.FromMinutes(2);

    public bool UsesRabbitMq => !string.IsNullOrWhiteSpace(RabbitMqUri);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WatchdogInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Bus:WatchdogInterval must be positive.", [nameof(WatchdogInterval)]);
        }
        if (WatchdogReadyAfter < WatchdogInterval)
        {
            yield return new ValidationResult(
                $"Bus:WatchdogReadyAfter ({WatchdogReadyAfter}) must be at least Bus:WatchdogInterval ({WatchdogInterval}): one missed ping must not turn the host unready.",
                [nameof(WatchdogReadyAfter)]);
        }
        if (WatchdogLiveAfter < WatchdogReadyAfter)
        {
            yield return new ValidationResult(
                $"Bus:WatchdogLiveAfter ({WatchdogLiveAfter}) must be at least Bus:WatchdogReadyAfter ({WatchdogReadyAfter}): a host is taken out of traffic before it is restarted.",
                [nameof(WatchdogLiveAfter)]);
        }
    }
}
