using Platform.Tests.Support;

namespace Platform.Tests.Ai;

/// <summary>Graph options are validated at start-up: a host with a minimum mention count below 1 does not start.</summary>
[TestFixture]
[Category("Integration")]
public sealed class GraphOptionsTests
{
    [Test]
    public async Task Should_refuse_to_start_with_a_minimum_mention_count_below_one()
    {
        await using var api = new ApiOnlyFactory(new Dictionary<string, string?> { ["Graph:MinMentions"] = "0" });
        var error = Assert.Catch(() => api.CreateClient());
        Assert.That(error!.ToString(), Does.Contain("Graph:MinMentions must be between 1 and 1000"));
    }
}
