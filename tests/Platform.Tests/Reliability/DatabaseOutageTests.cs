using System.Net;
using System.Net.Http.Json;
using Platform.Tests.Support;

namespace Platform.Tests.Reliability;

[TestFixture]
[Category("Integration")]
public sealed class DatabaseOutageTests
{
    [Test]
    public async Task Should_answer_503_with_retry_after_when_the_database_is_gone_and_accept_nothing()
    {
        var database = await PostgresDatabase.CreateAsync();
        await using var api = new ApiFactory(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = database.ConnectionString,
        });
        var client = api.ClientFor(ApiFactory.AcmeKey);
        Assert.That((await client.Http.GetAsync("api/v1/jobs")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await database.DisposeAsync(); // drops the database with every connection to it

        var read = await client.Http.GetAsync("api/v1/jobs");
        var submit = await client.Http.PostAsJsonAsync("api/v1/answers", new { question = "anything?" });
        var ready = await client.Http.GetAsync("health/ready");

        foreach (var response in new[] { read, submit })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await response.Content.ReadAsStringAsync());
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }
}
