using System.ClientModel;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Platform.Search.Models;

/// <summary>
/// Retries calls to a model server on 429 and 5xx (and dropped connections). The SDK's own retry is switched off
/// so that this one policy decides: it waits what Retry-After (seconds or an HTTP date) or retry-after-ms asks,
/// capped, and otherwise backs off exponentially with jitter.
/// </summary>
public sealed class ModelRetry(int maxRetries, TimeSpan maxDelay, ILogger logger, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(ct);
            }
            catch (Exception ex) when (attempt < maxRetries && IsTransient(ex) && !ct.IsCancellationRequested)
            {
                var delay = DelayFor(ex, attempt);
                logger.LogWarning("Model server answered {Status}; retry {Attempt}/{Max} in {Delay} ms", Describe(ex), attempt + 1,
                    maxRetries, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, _clock, ct);
            }
        }
    }

    public static bool IsTransient(Exception ex) => ex switch
    {
        ClientResultException c => c.Status is 429 or 408 or >= 500 or 0,
        HttpRequestException => true,
        _ => false,
    };

    /// <summary>Retry-After from the response if given, else 0.5 s · 2^attempt with ±25 % jitter; never above the cap.</summary>
    public TimeSpan DelayFor(Exception ex, int attempt)
    {
        var headers = ex is ClientResultException c ? c.GetRawResponse()?.Headers : null;
        var asked = headers is null ? null : RetryAfter(name => headers.TryGetValue(name, out var v) ? v : null, _clock.GetUtcNow());
        var delay = asked ?? TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt) * (0.75 + Random.Shared.NextDouble() * 0.5));
        return delay > maxDelay ? maxDelay : delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    /// <summary>The wait a response asks for: <c>retry-after-ms</c> (OpenAI), else <c>Retry-After</c> in seconds or as an HTTP date.</summary>
    public static TimeSpan? RetryAfter(Func<string, string?> header, DateTimeOffset now)
    {
        if (header("retry-after-ms") is { } ms && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var m))
        {
            return TimeSpan.FromMilliseconds(m);
        }
        if (header("Retry-After") is not { Length: > 0 } value)
        {
            return null;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at - now : null;
    }

    private static string Describe(Exception ex) => ex is ClientResultException c ? c.Status.ToString(CultureInfo.InvariantCulture) : ex.GetType().Name;
}
