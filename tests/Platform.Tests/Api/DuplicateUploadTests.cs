using System.Text;
using Platform.Tests.Support;

namespace Platform.Tests.Api;

/// <summary>
/// Identical bytes uploaded at the same moment, to two API replicas on one PostgreSQL database and one blob store (a
/// client retrying a slow upload, a user double-clicking): one document, and every request answered with it.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class DuplicateUploadTests
{
    [Test]
    public async Task Should_keep_one_document_when_identical_bytes_arrive_at_once_on_two_replicas()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var blobs = Directory.CreateTempSubdirectory("platform-duplicates-").FullName;
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Database:Provider"] = "PostgreSql", ["Database:ConnectionString"] = database.ConnectionString,
                ["Blobs:Root"] = blobs,
            };
            await using var replicaA = new ApiOnlyFactory(settings);
            await using var replicaB = new ApiOnlyFactory(settings);
            var clients = new[] { replicaA.ClientFor(ApiFactory.AcmeKey), replicaB.ClientFor(ApiFactory.AcmeKey) };
            await Task.WhenAll(clients.Select(c => c.GetJsonAsync("api/v1/jobs"))); // both up and migrated before the burst

            for (var round = 0; round < 5; round++)
            {
                var bytes = Encoding.UTF8.GetBytes($"# Round {round}\n\nThe same file, uploaded {Guid.NewGuid()} sixteen times at once.");
                var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => clients[i % 2].UploadAsync($"copy-{i}.md", bytes)));

                var documents = answers.Select(a => a.GetGuid("documentId")).Distinct().ToList();
                Assert.That(documents, Has.Count.EqualTo(1), $"round {round}: one document for one file");
                Assert.That(answers.Select(a => a.GetGuid("jobId")).Distinct().Count(), Is.EqualTo(1), $"round {round}: one ingest job");
                Assert.That(answers.Count(a => a.TryGetProperty("duplicate", out var d) && d.GetBoolean()), Is.EqualTo(15),
                    $"round {round}: fifteen answered as duplicates");
            }
            Assert.That(await database.ScalarAsync("SELECT count(*) FROM documents"), Is.EqualTo(5));
            Assert.That(await database.ScalarAsync("SELECT count(*) FROM jobs"), Is.EqualTo(5));
            Assert.That(Directory.GetFiles(Path.Combine(blobs, "uploads"), "*", SearchOption.AllDirectories), Has.Length.EqualTo(5),
                "the duplicates' copies were removed");
        }
        finally
        {
            TestFolders.Delete(blobs);
        }
    }
}
