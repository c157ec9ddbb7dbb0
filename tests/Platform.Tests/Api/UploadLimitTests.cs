using System.Net;
using Platform.Tests.Support;

namespace Platform.Tests.Api;

[TestFixture]
[Category("Integration")]
public sealed class UploadLimitTests
{
    [Test]
    public async Task Should_refuse_an_upload_over_the_limit_with_413_and_store_nothing()
    {
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["Api:MaxUploadBytes"] = "1000" });
        var client = api.ClientFor(ApiFactory.AcmeKey);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[5000]), "file", "big.txt" } };

        var response = await client.Http.PostAsync("api/v1/documents", form);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await client.GetJsonAsync("api/v1/documents")).GetProperty("items").GetArrayLength(), Is.Zero);
        var blobs = Path.Combine(api.WorkDirectory, "blobs");
        Assert.That(Directory.Exists(blobs) ? Directory.GetFiles(blobs, "*", SearchOption.AllDirectories) : [], Is.Empty);
    }
}
