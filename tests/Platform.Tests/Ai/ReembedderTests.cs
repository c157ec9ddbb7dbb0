using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Search;
using Platform.Workers.Ai;

namespace Platform.Tests.Ai;

/// <summary>The re-embed path: after the embedder changes, stored vectors of the old model are replaced by the new model's.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ReembedderTests
{
    [Test]
    public async Task Should_re_embed_documents_of_the_old_model_so_vector_search_finds_them_with_the_new_one()
    {
        await using var harness = await SearchHarness.CreateAsync("Sqlite");
        var (documentId, _) = await harness.AddDocumentAsync("t", "hold.txt", ["With apt, you can set a package to hold using apt-mark hold."]);
        var next = new BuiltInEmbedder(Options.Create(new EmbeddingOptions { Dimensions = 64 }));
        var options = Options.Create(new SearchOptions());
        var vectors = new VectorIndex(harness.Chunks, harness.Db, next, options: options);
        var search = new HybridSearch(harness.Chunks, new SqlSearchIndex(harness.Chunks, vectors, options), next, harness.Tags, harness.Documents);
        var before = await search.SearchAsync(new SearchRequest("t", "hold a package with apt", SearchMode.Vector));

        var reembedder = new Reembedder(harness.Chunks, next, harness.Index, vectors, harness.Db, Options.Create(new AiOptions()),
            NullLogger<Reembedder>.Instance);
        var done = await reembedder.RunOnceAsync(CancellationToken.None);

        Assert.That(before, Is.Empty, "precondition: no vector of the new model yet");
        Assert.That(done, Is.EqualTo(1));
        Assert.That(await harness.Chunks.ListUnembeddedAsync(documentId, next.Model), Is.Empty, "every chunk carries the new model");
        var after = await search.SearchAsync(new SearchRequest("t", "hold a package with apt", SearchMode.Vector));
        Assert.That(after.Select(h => h.DocumentId), Does.Contain(documentId));
        Assert.That(await reembedder.RunOnceAsync(CancellationToken.None), Is.Zero, "nothing left to do");
    }
}
