using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Data;
using Platform.Tests.Ingest;
using Platform.Tests.Support;

namespace Platform.Tests.Documents;

/// <summary>DELETE /api/v1/documents/{id}: the document is gone from everywhere it lived, at once, for every reader.</summary>
[TestFixture]
[Category("Integration")]
public sealed class DocumentDeleteTests
{
    private const string GlobexCleanerKey = "globex-cleaner-key-0123456789";
    private ApiFactory _api = null!;
    private PlatformClient _acme = null!;
    private PlatformClient _cleaner = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _api = new ApiFactory(new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:5:Name"] = "globex-cleaner", ["Auth:ApiKeys:5:Key"] = GlobexCleanerKey, ["Auth:ApiKeys:5:Tenant"] = "globex",
            ["Auth:ApiKeys:5:Scopes:0"] = "delete",
        });
        _acme = _api.ClientFor(ApiFactory.AcmeKey);
        _cleaner = _api.ClientFor(ApiFactory.CleanerKey);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _api.DisposeAsync();

    private async Task<(Guid DocumentId, Guid JobId)> IngestAsync(string name, string text)
    {
        var accepted = await _acme.UploadTextAsync(name, text);
        await _acme.WaitForSuccessAsync(accepted.GetGuid("jobId"));
        return (accepted.GetGuid("documentId"), accepted.GetGuid("jobId"));
    }

    private Task<long> CountAsync(string table, Guid documentId) =>
        _api.Services.GetRequiredService<Db>().QuerySingleOrDefaultAsync<long>($"SELECT count(*) FROM {table} WHERE document_id = @documentId",
            new { documentId });

    private string BlobPath(Guid documentId) => Path.Combine(_api.WorkDirectory, "blobs", "uploads", "acme", documentId.ToString("N"));

    private async Task<List<Guid>> SearchAsync(PlatformClient client, string query, string mode)
    {
        var found = await client.PostJsonAsync("api/v1/search", new { query, mode, topK = 20 }, HttpStatusCode.OK);
        return found.GetProperty("hits").EnumerateArray().Select(h => h.GetGuid("documentId")).ToList();
    }

    [Test]
    public async Task Should_remove_chunks_graph_and_blob_and_answer_404_afterwards()
    {
        var (documentId, _) = await IngestAsync("pelican.md",
            "# Pelican Harbour\n\nThe Pelican Harbour authority runs Marlowe Docks with Quenton Freight. Search word: zebrafinch.\n\n" +
            "Quenton Freight leases Marlowe Docks from Pelican Harbour."); // twice each: Graph:MinMentions is 2
        await Eventually.HoldsAsync(async () => await CountAsync("graph_mentions", documentId) > 0, "graph extracted", TimeSpan.FromSeconds(30));
        Assert.That(await CountAsync("chunks", documentId), Is.GreaterThan(0));
        Assert.That(File.Exists(BlobPath(documentId)), Is.True);
        Assert.That(await SearchAsync(_acme, "zebrafinch", "keyword"), Does.Contain(documentId));

        var response = await _cleaner.Http.DeleteAsync($"api/v1/documents/{documentId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        Assert.That(await CountAsync("chunks", documentId), Is.Zero);
        Assert.That(await CountAsync("chunk_fts", documentId), Is.Zero);
        Assert.That(await CountAsync("graph_mentions", documentId), Is.Zero);
        Assert.That(await CountAsync("graph_relations", documentId), Is.Zero);
        Assert.That(File.Exists(BlobPath(documentId)), Is.False);
        Assert.That((await _acme.Http.GetAsync($"api/v1/documents/{documentId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _acme.Http.GetAsync($"api/v1/documents/{documentId}/chunks")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _acme.Http.GetAsync($"api/v1/documents/{documentId}/entities")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _acme.GetJsonAsync("api/v1/documents")).GetProperty("items").EnumerateArray().Select(d => d.GetGuid("id")),
            Does.Not.Contain(documentId));
        foreach (var mode in new[] { "keyword", "vector", "hybrid" })
        {
            Assert.That(await SearchAsync(_acme, "zebrafinch", mode), Does.Not.Contain(documentId), mode);
        }
    }

    [Test]
    public async Task Should_answer_204_again_404_to_another_tenant_and_403_without_the_delete_scope()
    {
        var (documentId, _) = await IngestAsync("twice.md", "# Twice\n\nDeleted twice, the second time changes nothing.");

        Assert.That((await _acme.Http.DeleteAsync($"api/v1/documents/{documentId}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden),
            "read+submit does not include delete");
        var foreign = await _api.ClientFor(GlobexCleanerKey).Http.DeleteAsync($"api/v1/documents/{documentId}");
        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(foreign.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await _acme.Http.GetAsync($"api/v1/documents/{documentId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "still there");

        Assert.That((await _cleaner.Http.DeleteAsync($"api/v1/documents/{documentId}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await _cleaner.Http.DeleteAsync($"api/v1/documents/{documentId}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await _api.ClientFor(ApiFactory.AdminKey).Http.DeleteAsync($"api/v1/documents/{Guid.NewGuid()}")).StatusCode,
            Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Should_let_the_same_bytes_be_uploaded_again_as_a_new_document_after_a_delete()
    {
        const string text = "# Phoenix\n\nUploaded, deleted, uploaded again.";
        var (first, _) = await IngestAsync("phoenix.md", text);
        Assert.That((await _cleaner.Http.DeleteAsync($"api/v1/documents/{first}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var again = await _acme.UploadTextAsync("phoenix.md", text);

        Assert.That(again.TryGetProperty("duplicate", out _), Is.False, again.ToString());
        Assert.That(again.GetGuid("documentId"), Is.Not.EqualTo(first));
        await _acme.WaitForSuccessAsync(again.GetGuid("jobId"));
    }

    [Test]
    public async Task Should_keep_an_answers_text_and_say_its_cited_document_was_deleted()
    {
        var (documentId, _) = await IngestAsync("falcon.md", "# Falcon engine\n\nThe Falcon engine burns kerosene at nine hundred degrees.");
        var asked = await _acme.PostJsonAsync("api/v1/answers", new { question = "What does the Falcon engine burn?" });
        await _acme.WaitForSuccessAsync(asked.GetGuid("jobId"));
        var before = (await _acme.GetJsonAsync($"api/v1/answers/{asked.GetGuid("jobId")}")).GetProperty("result");
        var cited = before.GetProperty("citations").EnumerateArray().Single(c => c.GetGuid("documentId") == documentId);
        Assert.That(cited.GetProperty("documentDeleted").GetBoolean(), Is.False);

        Assert.That((await _cleaner.Http.DeleteAsync($"api/v1/documents/{documentId}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var after = (await _acme.GetJsonAsync($"api/v1/answers/{asked.GetGuid("jobId")}")).GetProperty("result");
        Assert.That(after.GetProperty("text").GetString(), Is.EqualTo(before.GetProperty("text").GetString()));
        var citation = after.GetProperty("citations").EnumerateArray().Single(c => c.GetGuid("documentId") == documentId);
        Assert.That(citation.GetProperty("documentDeleted").GetBoolean(), Is.True);
        Assert.That(citation.GetProperty("snippet").GetString(), Is.EqualTo(cited.GetProperty("snippet").GetString()));
    }

    [Test]
    public async Task Should_cancel_a_running_parse_and_store_nothing_of_the_deleted_document()
    {
        // Pages without a text layer: each is rendered and read by tesseract, which keeps the parse running for seconds.
        var scanned = Fixtures.ScannedPdf(Enumerable.Range(1, 6)
            .Select(i => Fixtures.Lines($"Scanned page {i} about the gannet colony.", "Every line is read by OCR before chunking.")).ToList());
        var accepted = await _acme.UploadAsync("scan.pdf", scanned, "application/pdf");
        var documentId = accepted.GetGuid("documentId");
        var jobId = accepted.GetGuid("jobId");
        await Eventually.HoldsAsync(async () => (await _acme.GetJsonAsync($"api/v1/jobs/{jobId}")).GetProperty("status").GetString() == "running",
            "the parse started", TimeSpan.FromSeconds(60));

        var response = await _cleaner.Http.DeleteAsync($"api/v1/documents/{documentId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var job = await _acme.WaitForJobAsync(jobId, TimeSpan.FromMinutes(2));
        Assert.That(job.GetProperty("status").GetString(), Is.EqualTo("cancelled"), job.ToString());
        Assert.That(await CountAsync("chunks", documentId), Is.Zero, "nothing stored after the delete");
        Assert.That(File.Exists(BlobPath(documentId)), Is.False);
        var document = await _api.Services.GetRequiredService<DocumentStore>().GetAsync(documentId);
        Assert.That(document!.Status, Is.EqualTo(DocumentStatus.Deleted), "a late status update did not bring it back");
    }

    [Test]
    public async Task Should_store_no_chunks_for_a_document_deleted_while_it_was_being_parsed()
    {
        var documents = _api.Services.GetRequiredService<DocumentStore>();
        var document = await documents.CreateAsync(new Document
        {
            Id = Guid.CreateVersion7(), TenantId = "acme", FileName = "late.md", SizeBytes = 1, Sha256 = Guid.NewGuid().ToString("N"),
            BlobKey = $"uploads/acme/{Guid.NewGuid():N}", ContentType = "text/markdown",
        });
        await documents.DeleteAsync(document.Id, "acme");

        // What a parse that read the document before the delete does next.
        var stored = await _api.Services.GetRequiredService<ChunkStore>().ReplaceAsync("acme", document.Id,
        [
            new Chunk { Ordinal = 0, PageStart = 1, PageEnd = 1, HeadingPath = "", Kind = "paragraph", Content = "late text", ContentHash = "h", SearchText = "late text" },
        ]);
        await documents.SetParsedAsync(document.Id, 1, 1);

        Assert.That(stored, Is.Empty);
        Assert.That(await CountAsync("chunks", document.Id), Is.Zero);
        Assert.That((await documents.GetAsync(document.Id))!.Status, Is.EqualTo(DocumentStatus.Deleted));
    }
}
