using System.Security.Claims;
using Microsoft.Extensions.Options;
using Platform.Api.Auth;
using Platform.Api.Endpoints;

namespace Platform.Api.Security;

/// <summary>
/// Per-API-key request limit over one-minute windows, counted in Redis so every replica enforces the same budget.
/// Over the limit: 429 problem+json with Retry-After. If Redis fails, requests pass (availability over strictness).
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, IRateCounter counter, IOptions<RateLimitOptions> options,
    TimeProvider clock, ILogger<RateLimitMiddleware> logger)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.PerKeyPerMinute;
        if (limit <= 0 || !context.Request.Path.StartsWithSegments("/api") || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        var now = clock.GetUtcNow();
        var window = now.ToUnixTimeSeconds() / (long)Window.TotalSeconds;
        var key = $"{context.User.TenantId()}:{context.User.FindFirstValue(ClaimTypes.Name)}";
        long count;
        try
        {
            count = await counter.IncrementAsync(key, window, Window);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Rate limit counter unavailable; letting the request through");
            await next(context);
            return;
        }
        if (count > limit)
        {
            var retryAfter = (window + 1) * (long)Window.TotalSeconds - now.ToUnixTimeSeconds();
            context.Response.Headers.RetryAfter = Math.Max(1, retryAfter).ToString();
            await Problems.Status(429, "Too many requests", $"This API key may make {limit} requests per minute.", "rate-limited")
                .ExecuteAsync(context);
            return;
        }
        await next(context);
    }
}
