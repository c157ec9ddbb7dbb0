using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Tests.Support;

namespace Platform.Tests.Documents;

/// <summary>
/// A deleted document's chunks never come back from a search that starts after the DELETE returned: not from the process
/// that deleted it, and not from a second API process whose in-memory vector index still holds the document's vectors.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class DeleteUnderSearchTests
{
    [Test]
    public async Task Should_never_return_the_deleted_chunk_from_a_search_started_after_the_delete_returned()
    {
        await using var api = new ApiFactory();
        // A second API process on the same database: its vector index is warmed before the delete and not told about it.
        await using var replica = new ApiOnlyFactory(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(api.WorkDirectory, "platform.db")}",
            ["Blobs:Root"] = Path.Combine(api.WorkDirectory, "blobs"),
        });
        var acme = api.ClientFor(ApiFactory.AcmeKey);
        var readers = new[] { acme, replica.ClientFor(ApiFactory.AcmeKey) };
        var doomed = await acme.UploadTextAsync("doomed.md", "# Ibis report\n\nThe ibis colony nests on the quokkafjord delta every spring.");
        var kept = await acme.UploadTextAsync("kept.md", "# Heron report\n\nThe heron colony nests on the quokkafjord cliffs every summer.");
        await acme.WaitForSuccessAsync(doomed.GetGuid("jobId"));
        await acme.WaitForSuccessAsync(kept.GetGuid("jobId"));
        var doomedId = doomed.GetGuid("documentId");

        var deleteReturned = 0;
        var foundBefore = 0;
        var searchesAfter = 0;
        var violations = new ConcurrentBag<string>();
        var modes = new[] { "keyword", "vector", "hybrid" };
        using var stop = new CancellationTokenSource();
        var searchers = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            var reader = readers[i % 2];
            var mode = modes[i % 3];
            while (!stop.IsCancellationRequested)
            {
                var after = Volatile.Read(ref deleteReturned) == 1;
                var response = await reader.Http.PostAsJsonAsync("api/v1/search", new { query = "quokkafjord colony nests", mode, topK = 10 });
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                var hits = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hits").EnumerateArray()
                    .Select(h => h.GetGuid("documentId")).ToList();
                if (!after)
                {
                    Interlocked.Add(ref foundBefore, hits.Count(h => h == doomedId));
                }
                else
                {
                    Interlocked.Increment(ref searchesAfter);
                    if (hits.Contains(doomedId))
                    {
                        violations.Add($"{(i % 2 == 0 ? "deleting process" : "replica")} {mode}");
                    }
                }
            }
        })).ToList();

        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref foundBefore) >= 12), "searches found the document before the delete",
            TimeSpan.FromSeconds(60));
        var deleted = await api.ClientFor(ApiFactory.CleanerKey).Http.DeleteAsync($"api/v1/documents/{doomedId}");
        Volatile.Write(ref deleteReturned, 1);
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref searchesAfter) >= 120), "searches after the delete",
            TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(searchers);

        Assert.That(violations, Is.Empty);
        var stillFound = await acme.PostJsonAsync("api/v1/search", new { query = "quokkafjord colony nests", mode = "hybrid" }, HttpStatusCode.OK);
        Assert.That(stillFound.GetProperty("hits").EnumerateArray().Select(h => h.GetGuid("documentId")), Does.Contain(kept.GetGuid("documentId")),
            "the other document is still found");
    }
}
