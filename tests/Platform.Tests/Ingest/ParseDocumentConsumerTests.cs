using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.Messages;
using Platform.ServiceDefaults;
using Platform.Workers.Ingest;

namespace Platform.Tests.Ingest;

/// <summary>
/// The real consumer with its real stores (SQLite file, local blobs) on MassTransit's in-memory test harness:
/// what a redelivery does, how a bad file ends its job, and that the worker goes on with the next one.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ParseDocumentConsumerTests
{
    private const string Tenant = "acme";
    private string _work = "";
    private IHost _host = null!;
    private ITestHarness _harness = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _work = Directory.CreateTempSubdirectory("ingest-consumer-").FullName;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_work, "platform.db")}",
            ["Blobs:Root"] = Path.Combine(_work, "blobs"),
            ["Bus:RetryLimit"] = "3",
            ["Bus:RetryInitialDelay"] = "00:00:00.200",
            ["Ingest:MaxChunkChars"] = "200",
        });
        builder.AddPlatformDefaults();
        builder.AddPlatformData();
        builder.AddJobEngine();
        builder.AddPlatformBlobs();
        builder.AddIngestServices();
        // The harness's lists stop waiting after 1.2 s without bus activity by default: too short for a parse on a loaded
        // 2-core machine (the mojibake case read nothing at load 40), so waits end on the count or these timeouts.
        builder.Services.AddMassTransitTestHarness(x =>
        {
            x.AddIngestConsumers();
            x.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: TimeSpan.FromSeconds(8));
        });
        BusExtensions.MapCommandQueues();
        _host = builder.Build();
        await _host.StartAsync();
        _harness = _host.Services.GetRequiredService<ITestHarness>();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        TestFolders.Delete(_work);
    }

    [Test]
    public async Task Should_produce_the_same_chunks_not_duplicates_when_the_parse_message_is_delivered_twice()
    {
        var pdf = Fixtures.Pdf(Enumerable.Range(1, 4).Select(p => Fixtures.Lines(
            $"Page {p} describes step {p} of the runbook.", $"Step {p} must finish before step {p + 1} starts.",
            "Operators check the dashboard after every step.")).ToList());
        var (document, job) = await UploadAsync("runbook.pdf", pdf);
        var message = new ParseDocument { JobId = job.Id, TenantId = Tenant, DocumentId = document.Id };

        await _harness.Bus.Publish(message);
        Assert.That(await CountAsync(_harness.Consumed.SelectAsync<ParseDocument>(), 1), Is.EqualTo(1));
        var first = await Chunks.ListByDocumentAsync(document.Id);
        // Redelivery after the first worker handed the job back (as on shutdown or a transient failure): the parse runs
        // again for real. (While a live worker holds the lease, a duplicate is acknowledged without work instead.)
        await Jobs.ReleaseAsync(job.Id);
        await _harness.Bus.Publish(message);
        Assert.That(await CountAsync(_harness.Consumed.SelectAsync<ParseDocument>(), 2), Is.EqualTo(2));
        var second = await Chunks.ListByDocumentAsync(document.Id);

        Assert.That(first, Has.Count.GreaterThan(1));
        Assert.That(second.Select(c => (c.Id, c.Ordinal, c.ContentHash)), Is.EqualTo(first.Select(c => (c.Id, c.Ordinal, c.ContentHash))));
        Assert.That(second.Select(c => c.PageStart), Is.Ordered);
        Assert.That(second[^1].PageEnd, Is.EqualTo(4));
        var stored = await Documents.GetAsync(document.Id);
        Assert.That((stored!.Status, stored.PageCount, stored.ChunkCount), Is.EqualTo((DocumentStatus.Parsed, 4, first.Count)));
        var running = await Jobs.GetAsync(job.Id);
        Assert.That(running!.Progress, Is.EqualTo(50), "parsing ends at 50 %; embedding owns the rest");
        Assert.That(await CountAsync(_harness.Sent.SelectAsync<EmbedDocument>(), 2), Is.EqualTo(2));
    }

    [Test]
    public async Task Should_fail_a_corrupt_upload_at_once_without_retries_keep_it_and_go_on_with_the_next_job()
    {
        var pdf = Fixtures.Pdf([Fixtures.Lines("A fine document about queues.")]);
        var (broken, brokenJob) = await UploadAsync("broken.pdf", pdf[..(pdf.Length / 3)]);
        var (good, goodJob) = await UploadAsync("fine.pdf", pdf);

        await _harness.Bus.Publish(new ParseDocument { JobId = brokenJob.Id, TenantId = Tenant, DocumentId = broken.Id });
        Assert.That(await CountAsync(_harness.Published.SelectAsync<JobFailed>(), 1), Is.EqualTo(1));
        await _harness.Bus.Publish(new ParseDocument { JobId = goodJob.Id, TenantId = Tenant, DocumentId = good.Id });
        Assert.That(await CountAsync(_harness.Published.SelectAsync<DocumentParsed>(), 1), Is.EqualTo(1));

        var failed = await Jobs.GetAsync(brokenJob.Id);
        Assert.That((failed!.Status, failed.ErrorCode, failed.Attempts), Is.EqualTo((JobStatus.Failed, ReasonCodes.CorruptFile, 1)));
        Assert.That(failed.ErrorMessage, Does.Contain("broken.pdf"));
        Assert.That((await Documents.GetAsync(broken.Id))!.Status, Is.EqualTo(DocumentStatus.Failed));
        Assert.That(await Blobs.ExistsAsync(broken.BlobKey), Is.True, "the upload is kept");
        Assert.That(await _harness.Consumed.Any<ParseDocument>(m => m.Exception is not null), Is.False,
            "a permanent failure ends the job without throwing, so the bus does not retry it");
        Assert.That(await Chunks.ListByDocumentAsync(good.Id), Is.Not.Empty);
    }

    [Test]
    public async Task Should_flag_a_document_whose_mojibake_text_was_repaired_and_not_a_clean_one()
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(IngestHygieneTests.ChineseDesign);
        var (damaged, damagedJob) = await UploadAsync("design.txt", System.Text.Encoding.UTF8.GetBytes(IngestHygieneTests.AsMojibake(utf8, 1252)));
        var (clean, cleanJob) = await UploadAsync("design-clean.txt", utf8);

        await _harness.Bus.Publish(new ParseDocument { JobId = damagedJob.Id, TenantId = Tenant, DocumentId = damaged.Id });
        await _harness.Bus.Publish(new ParseDocument { JobId = cleanJob.Id, TenantId = Tenant, DocumentId = clean.Id });
        Assert.That(await CountAsync(_harness.Published.SelectAsync<DocumentParsed>(), 2), Is.EqualTo(2));

        Assert.That((await Documents.GetAsync(damaged.Id))!.TextRepaired, Is.GreaterThan(0.5));
        Assert.That((await Documents.GetAsync(clean.Id))!.TextRepaired, Is.Null);
        Assert.That(string.Join("\n", (await Chunks.ListByDocumentAsync(damaged.Id)).Select(c => c.Content)), Does.Contain("消息队列"));
    }

    /// <summary>Waits (up to the harness's timeout) until <paramref name="wanted"/> items were seen.</summary>
    private static async Task<int> CountAsync<T>(IAsyncEnumerable<T> items, int wanted)
    {
        var count = 0;
        await foreach (var _ in items)
        {
            if (++count >= wanted)
            {
                break;
            }
        }
        return count;
    }

    private ChunkStore Chunks => _host.Services.GetRequiredService<ChunkStore>();
    private DocumentStore Documents => _host.Services.GetRequiredService<DocumentStore>();
    private JobStore Jobs => _host.Services.GetRequiredService<JobStore>();
    private IBlobStore Blobs => _host.Services.GetRequiredService<IBlobStore>();

    private async Task<(Document Document, Job Job)> UploadAsync(string fileName, byte[] content)
    {
        var id = Guid.CreateVersion7();
        var key = $"uploads/{Tenant}/{id:N}";
        await Blobs.PutAsync(key, new MemoryStream(content));
        var document = await Documents.CreateAsync(new Document
        {
            Id = id, TenantId = Tenant, FileName = fileName, SizeBytes = content.Length, BlobKey = key,
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)),
        });
        var job = await Jobs.CreateAsync(Tenant, JobTypes.Ingest, null, document.Id);
        return (document, job);
    }
}
