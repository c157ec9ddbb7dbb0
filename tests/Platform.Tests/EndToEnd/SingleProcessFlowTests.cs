using System.Net;
using Platform.Tests.Support;

namespace Platform.Tests.EndToEnd;

/// <summary>
/// What a newcomer runs: the API process alone, on the embedded defaults (SQLite file, in-memory bus, local blobs,
/// built-in embedder), with all three workers inside it. Nothing but the .NET runtime is needed.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class SingleProcessFlowTests
{
    [Test]
    public async Task Should_ingest_search_answer_and_back_up_in_one_process_on_embedded_defaults()
    {
        var work = Directory.CreateTempSubdirectory("platform-single-").FullName;
        try
        {
            // No settings at all: the defaults put data/ under the working directory.
            await using var api = await HostProcess.StartAsync(HostProcess.Standalone, new Dictionary<string, string>(), work);
            var client = new PlatformClient(new HttpClient { BaseAddress = api.BaseAddress });

            var accepted = await client.UploadTextAsync("guide.md", Samples.OperationsGuide);
            await client.WaitForSuccessAsync(accepted.GetGuid("jobId"));

            var search = await client.PostJsonAsync("api/v1/search", new { query = "where does job state live" }, HttpStatusCode.OK);
            Assert.That(search.GetProperty("hits")[0].GetProperty("headingPath").GetString(), Is.EqualTo("Operations guide > Storage"));
            Assert.That(search.GetProperty("hits")[0].GetProperty("fileName").GetString(), Is.EqualTo("guide.md"));

            var asked = await client.PostJsonAsync("api/v1/answers", new { question = "Where does job state live?" });
            var answer = (await client.WaitForSuccessAsync(asked.GetGuid("jobId"))).GetProperty("result");
            Assert.That(answer.GetProperty("text").GetString(), Does.Contain("Job state lives in PostgreSQL"));
            Assert.That(answer.GetProperty("citations")[0].GetGuid("documentId"), Is.EqualTo(accepted.GetGuid("documentId")));
            Assert.That(answer.GetProperty("citations")[0].GetProperty("fileName").GetString(), Is.EqualTo("guide.md"));

            var backup = await client.PostJsonAsync("api/v1/backups", new { });
            var manifest = (await client.WaitForSuccessAsync(backup.GetGuid("jobId"))).GetProperty("result");
            Assert.That(manifest.GetProperty("format").GetString(), Is.EqualTo("sqlite-gzip"));
            Assert.That(File.Exists(Path.Combine(work, "data", "platform.db")), Is.True);
            Assert.That(Directory.GetFiles(Path.Combine(work, "data", "blobs", "backups")), Has.Length.EqualTo(1));
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }

    [Test]
    public async Task Should_answer_that_nothing_was_found_instead_of_inventing_one()
    {
        var work = Directory.CreateTempSubdirectory("platform-single-").FullName;
        try
        {
            await using var api = await HostProcess.StartAsync(HostProcess.Standalone, new Dictionary<string, string>(), work);
            var client = new PlatformClient(new HttpClient { BaseAddress = api.BaseAddress });
            await client.WaitForSuccessAsync((await client.UploadTextAsync("guide.md", Samples.OperationsGuide)).GetGuid("jobId"));

            var asked = await client.PostJsonAsync("api/v1/answers", new { question = "What is the capital of Peru?" });
            var answer = (await client.WaitForSuccessAsync(asked.GetGuid("jobId"))).GetProperty("result");

            Assert.That(answer.GetProperty("found").GetBoolean(), Is.False);
            Assert.That(answer.GetProperty("citations").GetArrayLength(), Is.Zero);
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }
}
