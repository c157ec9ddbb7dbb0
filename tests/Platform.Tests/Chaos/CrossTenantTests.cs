using System.Net;
using System.Text.Json;
using Platform.Tests.EndToEnd;
using Platform.Tests.Support;

namespace Platform.Tests.Chaos;

/// <summary>
/// Every route in the OpenAPI document that takes an id, called with another tenant's key and each id tenant acme
/// owns: the answer is always 403 or 404, never the object. New endpoints are covered as soon as they are mapped.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class CrossTenantTests
{
    [Test]
    public async Task Should_never_show_one_tenant_anything_of_another()
    {
        await using var api = new ApiFactory();
        var acme = api.ClientFor(ApiFactory.AcmeKey);
        var globex = api.ClientFor(ApiFactory.GlobexKey);

        var upload = await acme.UploadTextAsync("guide.md", Samples.OperationsGuide);
        await acme.WaitForSuccessAsync(upload.GetGuid("jobId"));
        var answer = await acme.PostJsonAsync("api/v1/answers", new { question = "Where does job state live?" });
        await acme.WaitForSuccessAsync(answer.GetGuid("jobId"));
        Guid[] owned = [upload.GetGuid("jobId"), upload.GetGuid("documentId"), answer.GetGuid("jobId")];

        var openApi = await acme.GetJsonAsync("openapi/v1.json");
        var probes = 0;
        var leaks = new List<string>();
        foreach (var path in openApi.GetProperty("paths").EnumerateObject().Where(p => p.Name.Contains("{id}")))
        {
            foreach (var method in path.Value.EnumerateObject().Select(m => m.Name.ToUpperInvariant()))
            {
                foreach (var id in owned)
                {
                    var request = new HttpRequestMessage(new HttpMethod(method), path.Name.TrimStart('/').Replace("{id}", id.ToString()));
                    if (method is "POST" or "PUT" or "PATCH")
                    {
                        request.Content = JsonContent.Create(new { });
                    }
                    var response = await globex.Http.SendAsync(request);
                    probes++;
                    if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden))
                    {
                        leaks.Add($"{method} {path.Name} ({id}) → {(int)response.StatusCode}");
                    }
                }
            }
        }
        var search = await globex.PostJsonAsync("api/v1/search", new { query = "job state PostgreSQL" }, HttpStatusCode.OK);
        if (search.GetProperty("hits").GetArrayLength() > 0)
        {
            leaks.Add("search returned another tenant's chunks");
        }
        ChaosSettings.Report("cross-tenant", $"probes={probes} leaks={leaks.Count}");
        Assert.That(probes, Is.GreaterThanOrEqualTo(12));
        Assert.That(leaks, Is.Empty);
    }
}

internal static class JsonContent
{
    public static StringContent Create(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
