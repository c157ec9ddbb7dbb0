using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Tests.EndToEnd;
using Platform.Tests.Support;

namespace Platform.Tests.Api;

/// <summary>Bad input and wrong callers get a clear 4xx problem+json, never a 500; tenants never see each other.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ApiBehaviourTests
{
    private ApiFactory _api = null!;
    private PlatformClient _acme = null!;
    private PlatformClient _globex = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _api = new ApiFactory();
        _acme = _api.ClientFor(ApiFactory.AcmeKey);
        _globex = _api.ClientFor(ApiFactory.GlobexKey);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _api.DisposeAsync();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32(), Is.EqualTo((int)status));
    }

    [Test]
    public async Task Should_answer_404_problem_for_an_unknown_job_document_or_answer()
    {
        await AssertProblemAsync(await _acme.Http.GetAsync($"api/v1/jobs/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _acme.Http.GetAsync($"api/v1/documents/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _acme.Http.GetAsync($"api/v1/answers/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _acme.Http.PostAsync($"api/v1/jobs/{Guid.NewGuid()}/cancel", null), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Should_hide_a_tenants_jobs_documents_and_search_hits_from_other_tenants()
    {
        var accepted = await _acme.UploadTextAsync("secret.md", "# Merger\n\nProject Falcon acquires Initech in March.");
        var jobId = accepted.GetGuid("jobId");
        var documentId = accepted.GetGuid("documentId");
        await _acme.WaitForSuccessAsync(jobId);

        await AssertProblemAsync(await _globex.Http.GetAsync($"api/v1/jobs/{jobId}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _globex.Http.GetAsync($"api/v1/documents/{documentId}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _globex.Http.GetAsync($"api/v1/documents/{documentId}/chunks"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _globex.Http.PostAsync($"api/v1/jobs/{jobId}/cancel", null), HttpStatusCode.NotFound);
        var foreign = await _globex.PostJsonAsync("api/v1/search", new { query = "Project Falcon Initech", documentIds = new[] { documentId } },
            HttpStatusCode.OK);
        Assert.That(foreign.GetProperty("hits").GetArrayLength(), Is.Zero);
        var jobs = await _globex.GetJsonAsync("api/v1/jobs");
        Assert.That(jobs.EnumerateArray().Select(j => j.GetGuid("id")), Does.Not.Contain(jobId));

        var own = await _acme.PostJsonAsync("api/v1/search", new { query = "Project Falcon Initech" }, HttpStatusCode.OK);
        Assert.That(own.GetProperty("hits")[0].GetGuid("documentId"), Is.EqualTo(documentId));
    }

    [Test]
    public async Task Should_refuse_callers_without_a_valid_key_and_scope()
    {
        var anonymous = _api.CreateClient();
        await AssertProblemAsync(await anonymous.GetAsync("api/v1/jobs"), HttpStatusCode.Unauthorized);
        var wrong = _api.ClientFor("not-a-key");
        await AssertProblemAsync(await wrong.Http.GetAsync("api/v1/jobs"), HttpStatusCode.Unauthorized);
        var auditor = _api.ClientFor(ApiFactory.AuditorKey);
        Assert.That((await auditor.Http.GetAsync("api/v1/jobs")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertProblemAsync(await auditor.Http.PostAsJsonAsync("api/v1/answers", new { question = "q" }), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await _acme.Http.PostAsync("api/v1/backups", null), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Should_reject_an_upload_that_is_not_multipart_with_415()
    {
        var response = await _acme.Http.PostAsync("api/v1/documents", new StringContent("plain", Encoding.UTF8, "text/plain"));
        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Test]
    public async Task Should_reject_malformed_multipart_and_empty_files_with_400()
    {
        var broken = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.md\"\r\n\r\nunterminated",
            Encoding.UTF8);
        broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        await AssertProblemAsync(await _acme.Http.PostAsync("api/v1/documents", broken), HttpStatusCode.BadRequest);

        using var empty = new MultipartFormDataContent { { new ByteArrayContent([]), "file", "empty.md" } };
        await AssertProblemAsync(await _acme.Http.PostAsync("api/v1/documents", empty), HttpStatusCode.BadRequest);

        using var noFile = new MultipartFormDataContent { { new StringContent("x"), "comment" } };
        await AssertProblemAsync(await _acme.Http.PostAsync("api/v1/documents", noFile), HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Should_reject_malformed_or_mistyped_json_with_4xx_problem()
    {
        var malformed = new StringContent("{\"query\": ", Encoding.UTF8, "application/json");
        await AssertProblemAsync(await _acme.Http.PostAsync("api/v1/search", malformed), HttpStatusCode.BadRequest);
        var wrongMode = new StringContent("{\"query\": \"x\", \"mode\": \"psychic\"}", Encoding.UTF8, "application/json");
        await AssertProblemAsync(await _acme.Http.PostAsync("api/v1/search", wrongMode), HttpStatusCode.BadRequest);
        var text = new StringContent("{\"query\": \"x\"}", Encoding.UTF8, "text/plain");
        await AssertProblemAsync(await _acme.Http.PostAsync("api/v1/search", text), HttpStatusCode.UnsupportedMediaType);
        await AssertProblemAsync(await _acme.Http.PostAsJsonAsync("api/v1/search", new { query = "" }), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await _acme.Http.PostAsJsonAsync("api/v1/answers", new { question = new string('x', 5000) }),
            HttpStatusCode.BadRequest);
        await AssertProblemAsync(await _acme.Http.GetAsync("api/v1/jobs?status=bogus"), HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Should_keep_only_the_last_segment_of_a_path_traversal_file_name()
    {
        var accepted = await _acme.UploadTextAsync("../../etc/passwd.md", "# Notes\n\nJust notes.");
        var document = await _acme.GetJsonAsync($"api/v1/documents/{accepted.GetGuid("documentId")}");
        Assert.That(document.GetProperty("fileName").GetString(), Is.EqualTo("passwd.md"));
        Assert.That(Directory.GetFiles(_api.WorkDirectory, "passwd*", SearchOption.AllDirectories), Is.Empty,
            "the client's name is never a path on disk");
    }

    [Test]
    public async Task Should_refuse_to_retry_a_job_that_succeeded_and_hide_it_from_other_tenants()
    {
        var asked = await _acme.PostJsonAsync("api/v1/answers", new { question = "Where does job state live?" });
        var jobId = asked.GetGuid("jobId");
        var done = await _acme.WaitForJobAsync(jobId);
        await AssertProblemAsync(await _acme.Http.PostAsync($"api/v1/jobs/{jobId}/retry", null), HttpStatusCode.Conflict);
        Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));

        await AssertProblemAsync(await _globex.Http.PostAsync($"api/v1/jobs/{jobId}/retry", null), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Should_send_security_headers()
    {
        var response = await _acme.Http.GetAsync("api/v1/jobs");
        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
    }

    [Test]
    public async Task Should_serve_the_openapi_document()
    {
        var openApi = await _acme.GetJsonAsync("openapi/v1.json");
        Assert.That(openApi.GetProperty("paths").TryGetProperty("/api/v1/documents", out _), Is.True);
    }
}
