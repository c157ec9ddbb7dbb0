using System.Net;
using System.Text;
using System.Text.Json;
using Platform.Tests.Support;

namespace Platform.Tests.Api;

/// <summary>Bad input gets problem+json whose <c>errors</c> names each bad field and what it accepts; the OpenAPI document agrees.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ValidationProblemTests
{
    private ApiFactory _api = null!;
    private PlatformClient _acme = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _api = new ApiFactory();
        _acme = _api.ClientFor(ApiFactory.AcmeKey);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _api.DisposeAsync();

    private async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("errors").Clone();
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _acme.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Test]
    public async Task Should_name_an_unknown_search_mode_and_list_the_allowed_ones()
    {
        var errors = await ErrorsAsync(await PostAsync("api/v1/search", """{"query":"x","mode":"fuzzy"}"""));

        Assert.That(errors.GetProperty("mode")[0].GetString(), Does.Contain("one of: hybrid, keyword, vector"));
    }

    [TestCase("""{"query":"x","topK":"ten"}""", "topK", "a whole number")]
    [TestCase("""{"query":"x","documentIds":["not-a-uuid"]}""", "documentIds[0]", "a UUID")]
    [TestCase("""{"query":"x","tags":"one"}""", "tags", "an array of")]
    [TestCase("""{"query":""",  "body", "JSON")]
    public async Task Should_name_a_wrongly_typed_search_field(string json, string field, string expected)
    {
        var errors = await ErrorsAsync(await PostAsync("api/v1/search", json));

        Assert.That(errors.GetProperty(field)[0].GetString(), Does.Contain(expected), errors.ToString());
    }

    [Test]
    public async Task Should_name_every_bad_field_at_once()
    {
        var errors = await ErrorsAsync(await PostAsync("api/v1/search", """{"query":"","topK":500}"""));

        Assert.That(errors.GetProperty("query")[0].GetString(), Does.Contain("1 to 2000 characters"));
        Assert.That(errors.GetProperty("topK")[0].GetString(), Does.Contain("between 1 and 100"));
        var answer = await ErrorsAsync(await PostAsync("api/v1/answers", """{"question":" ","topK":0}"""));
        Assert.That(answer.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "question", "topK" }));
    }

    [TestCase("api/v1/jobs?limit=abc", "limit", "a whole number")]
    [TestCase("api/v1/jobs?limit=0", "limit", "Between 1 and 500")]
    [TestCase("api/v1/jobs?status=done", "status", "queued")]
    [TestCase("api/v1/documents?limit=many", "limit", "a whole number")]
    public async Task Should_name_a_bad_query_parameter(string path, string field, string expected)
    {
        var errors = await ErrorsAsync(await _acme.Http.GetAsync(path));

        Assert.That(errors.GetProperty(field)[0].GetString(), Does.Contain(expected), errors.ToString());
    }

    [Test]
    public async Task Should_state_the_same_constraints_in_the_openapi_document()
    {
        var openApi = await _acme.GetJsonAsync("openapi/v1.json");
        var schemas = openApi.GetProperty("components").GetProperty("schemas");

        var search = schemas.GetProperty("SearchBody").GetProperty("properties");
        Assert.That(search.GetProperty("topK").GetProperty("minimum").GetInt32(), Is.EqualTo(1));
        Assert.That(search.GetProperty("topK").GetProperty("maximum").GetInt32(), Is.EqualTo(100));
        Assert.That(search.GetProperty("query").GetProperty("maxLength").GetInt32(), Is.EqualTo(2000));
        var modes = schemas.GetProperty("SearchMode").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).Where(m => m is not null);
        Assert.That(modes, Is.EquivalentTo(new[] { "hybrid", "keyword", "vector" }));
        var list = openApi.GetProperty("paths").GetProperty("/api/v1/documents").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "limit").GetProperty("schema");
        Assert.That(list.GetProperty("maximum").GetInt32(), Is.EqualTo(200));
        Assert.That(openApi.GetProperty("paths").GetProperty("/api/v1/documents/{id}").TryGetProperty("delete", out _), Is.True);
    }
}
