using System.Net;
using Platform.Tests.Support;

namespace Platform.Tests.Reliability;

/// <summary>Two API replicas share one budget per key through the real Redis.</summary>
[TestFixture]
[Category("Integration")]
public sealed class RateLimitTests
{
    [Test]
    public async Task Should_share_one_key_budget_across_replicas_through_redis()
    {
        // A fresh Redis key space per run: the window key embeds tenant and key name, so use a unique tenant.
        var tenant = $"rl-{Guid.NewGuid():N}";
        var settings = new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = TestServices.Redis,
            ["RateLimits:PerKeyPerMinute"] = "5",
            ["Auth:ApiKeys:0:Tenant"] = tenant,
        };
        // Budgets are per minute window: both replicas read one clock held mid-minute, so the run never straddles
        // a window boundary (a real clock at hh:mm:59 split the six requests over two windows).
        var now = DateTimeOffset.UtcNow;
        var clock = new ManualClock(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 20, TimeSpan.Zero));
        await using var replicaA = new ApiFactory(settings, clock);
        await using var replicaB = new ApiFactory(settings, clock);
        var a = replicaA.ClientFor(ApiFactory.AcmeKey);
        var b = replicaB.ClientFor(ApiFactory.AcmeKey);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            var client = i % 2 == 0 ? a : b;
            statuses.Add((await client.Http.GetAsync("api/v1/jobs")).StatusCode);
        }
        var refused = await b.Http.GetAsync("api/v1/jobs");

        Assert.That(statuses.Take(5), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(statuses[5], Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.Not.Null.And.GreaterThan(TimeSpan.Zero));
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(refused.Headers.RetryAfter!.Delta, Is.EqualTo(TimeSpan.FromSeconds(40)), "until the next window");
        var otherKey = replicaA.ClientFor(ApiFactory.GlobexKey);
        Assert.That((await otherKey.Http.GetAsync("api/v1/jobs")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "budgets are per key");
    }
}
