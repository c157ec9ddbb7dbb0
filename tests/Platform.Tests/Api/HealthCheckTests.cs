using System.Net;
using System.Text.Json.Nodes;
using Platform.Tests.Support;

namespace Platform.Tests.Api;

/// <summary>
/// /health/ready as the library checks report it: the database (AspNetCore.HealthChecks.NpgSql for PostgreSQL, a small
/// SELECT 1 for SQLite) gates readiness; Redis (AspNetCore.HealthChecks.Redis) is reported but only degrades it.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class HealthCheckTests
{
    private static async Task<(HttpStatusCode Status, JsonNode Body)> ReadyAsync(ApiFactory api)
    {
        var response = await api.CreateClient().GetAsync("health/ready");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [TestCase("Sqlite")]
    [TestCase("PostgreSql")]
    public async Task Should_be_ready_with_the_database_and_redis_checks_healthy_when_both_answer(string provider)
    {
        var postgres = provider == "PostgreSql" ? await PostgresDatabase.CreateAsync() : null;
        try
        {
            var settings = new Dictionary<string, string?> { ["Redis:Configuration"] = "127.0.0.1:6379" };
            if (postgres is not null)
            {
                settings["Database:Provider"] = "PostgreSql";
                settings["Database:ConnectionString"] = postgres.ConnectionString;
            }
            await using var api = new ApiFactory(settings);

            var (status, body) = await ReadyAsync(api);

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
            Assert.That(body["checks"]!["database"]!["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
            Assert.That(body["checks"]!["redis"]!["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
        }
        finally
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task Should_stay_ready_and_report_redis_degraded_with_the_reason_when_redis_is_unreachable()
    {
        // Port 1 on loopback: nothing listens, so every connection attempt is refused at once.
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["Redis:Configuration"] = "127.0.0.1:1,connectTimeout=500" });

        var (status, body) = await ReadyAsync(api);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), "Redis only degrades readiness: " + body.ToJsonString());
        Assert.That(body["status"]!.GetValue<string>(), Is.EqualTo("Degraded"));
        Assert.That(body["checks"]!["redis"]!["status"]!.GetValue<string>(), Is.EqualTo("Degraded"));
        Assert.That(body["checks"]!["redis"]!["description"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, "says why");
        Assert.That(body["checks"]!["database"]!["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
    }
}
