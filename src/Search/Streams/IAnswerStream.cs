namespace Platform.Search.Streams;

/// <summary>One event of an answer being generated: <c>reset</c> (a retry starts over), <c>token</c>, <c>done</c>, <c>error</c>.</summary>
public sealed record AnswerEvent(string Type, string Data)
{
    public const string Reset = "reset";
    public const string Token = "token";
    public const string Done = "done";
    public const string Error = "error";

    /// <summary>Not stored: a reader sees it when nothing arrived for the idle interval, so it can check on the job.</summary>
    public const string Idle = "idle";

    public bool IsFinal => Type is Done or Error;
}

/// <summary>
/// Carries an answer's tokens from the worker that generates it to every API replica streaming it. Events are kept for a
/// while, so a reader that subscribes late replays them from the start and then follows: what it sees is the whole answer.
/// Redis (list + pub/sub) when configured; in process otherwise. Both pass AnswerStreamContractTests.
/// </summary>
public interface IAnswerStream
{
    Task PublishAsync(Guid answerId, AnswerEvent e, CancellationToken ct = default);

    /// <summary>All events so far, then new ones as they come, ending after done or error. Yields Idle after quiet spells.</summary>
    IAsyncEnumerable<AnswerEvent> ReadAsync(Guid answerId, TimeSpan idle, CancellationToken ct = default);
}
