using Platform.Tests.EndToEnd;
using Platform.Tests.Support;

namespace Platform.Tests.Reliability;

/// <summary>One tenant's burst must not queue ahead of another tenant's work.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class FairnessTests
{
    [Test]
    public async Task Should_finish_a_small_tenants_job_before_most_of_a_large_tenants_burst()
    {
        await using var api = new ApiFactory(new Dictionary<string, string?>
        {
            ["Jobs:MaxInFlightPerTenant"] = "1",
            ["Jobs:DispatchInterval"] = "00:00:00.200",
        });
        var acme = api.ClientFor(ApiFactory.AcmeKey);
        var globex = api.ClientFor(ApiFactory.GlobexKey);

        var burst = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            burst.Add((await acme.UploadTextAsync($"burst-{i}.md", Samples.OperationsGuide + $"\n\nCopy {i}.")).GetGuid("jobId"));
        }
        var small = (await globex.UploadTextAsync("small.md", Samples.OperationsGuide)).GetGuid("jobId");

        var smallJob = await globex.WaitForSuccessAsync(small);
        var (smallCreated, smallDone) = (smallJob.GetProperty("createdAt").GetDateTimeOffset(), smallJob.GetProperty("finishedAt").GetDateTimeOffset());
        var burstDone = new List<DateTimeOffset>();
        foreach (var id in burst)
        {
            burstDone.Add((await acme.WaitForSuccessAsync(id, TimeSpan.FromMinutes(2))).GetProperty("finishedAt").GetDateTimeOffset());
        }

        // Only acme's jobs still unfinished when globex submitted compete with it; the rest ran while uploads went on.
        var pending = burstDone.Count(d => d > smallCreated);
        Assert.That(pending, Is.GreaterThanOrEqualTo(5), "enough of the burst was still waiting to make the comparison");
        Assert.That(burstDone.Count(d => d > smallDone), Is.GreaterThanOrEqualTo(pending - 3),
            "with one job in flight per tenant, globex's job waits behind at most a couple of acme's");
    }
}
