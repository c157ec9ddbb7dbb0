namespace Platform.Api.Dashboard.Queues;

/// <summary>
/// What the broker says about the command queues. The in-memory default (single-process mode) and the RabbitMQ
/// management API are siblings behind this interface.
/// </summary>
public interface IQueueMonitor
{
    /// <summary>Name of the source, e.g. <c>rabbitmq</c> or <c>in-memory</c>.</summary>
    string Source { get; }

    /// <summary>Whether <see cref="MoveErrorsBackAsync"/> can do anything here.</summary>
    bool CanMoveErrors { get; }

    /// <summary>Every command queue (<see cref="Platform.Messages.QueueNames.All"/>) with its error queue.</summary>
    Task<IReadOnlyList<QueueView>> ListAsync(CancellationToken ct);

    /// <summary>
    /// Moves up to <paramref name="max"/> messages from <c>{queue}_error</c> back to <c>{queue}</c>, putting each one's
    /// failed job back in the queue first (otherwise the consumer would skip it as already ended).
    /// </summary>
    Task<MoveResult> MoveErrorsBackAsync(string queue, int max, CancellationToken ct);
}

/// <param name="Depth">Messages waiting (ready) in the queue.</param>
/// <param name="Unacked">Messages delivered to a consumer and not yet acknowledged (being worked on).</param>
/// <param name="PublishRate">Messages per second arriving, when the source measures it.</param>
/// <param name="DeliverRate">Messages per second acknowledged, when the source measures it.</param>
public sealed record QueueView(string Name, bool Exists, long Depth, long Unacked, int Consumers, double? PublishRate, double? DeliverRate,
    QueueView? Error);

public sealed record MoveResult(int Moved, int JobsRequeued, string? Note = null);
