namespace Platform.Jobs;

/// <summary>
/// Thrown by job work that knows why it failed. Permanent failures (a corrupt file) end the job at once;
/// transient ones (a server that did not answer) are retried with backoff first.
/// </summary>
public sealed class JobFailureException(string reasonCode, string message, bool permanent = true, Exception? inner = null)
    : Exception(message, inner)
{
    public string ReasonCode { get; } = reasonCode;

    public bool Permanent { get; } = permanent;
}
