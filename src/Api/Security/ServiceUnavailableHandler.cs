using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Platform.Api.Endpoints;

namespace Platform.Api.Security;

/// <summary>
/// When the database cannot be reached the API cannot record work, so it says so: 503 with Retry-After instead of
/// a 500 or a promise it cannot keep. Bad request bodies the framework rejects keep their own 4xx status.
/// </summary>
public sealed class ServiceUnavailableHandler(ILogger<ServiceUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is BadHttpRequestException bad)
        {
            if (BindingProblems.From(bad, context) is { } invalid)
            {
                await invalid.ExecuteAsync(context);
                return true;
            }
            await Problems.Status(bad.StatusCode, "Bad request", bad.Message, "bad-request").ExecuteAsync(context);
            return true;
        }
        if (exception is not (DbException or TimeoutException or InvalidOperationException { InnerException: DbException }))
        {
            return false;
        }
        logger.LogWarning("Database unavailable while serving {Path}: {Message}", context.Request.Path, exception.Message);
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        await Problems.Status(503, "Service unavailable", "The job database cannot be reached; nothing was recorded. Try again shortly.",
            "unavailable").ExecuteAsync(context);
        return true;
    }
}
