using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;
using Platform.Tests.Support;

namespace Platform.Tests.Storage;

/// <summary>One contract, two stores: the embedded SQLite default and PostgreSQL must behave the same.</summary>
[TestFixture("Sqlite")]
[TestFixture("PostgreSql")]
[Category("Integration")]
public sealed class StoreContractTests(string provider)
{
    private TestDatabase _database = null!;
    private Db _db = null!;
    private JobStore _jobs = null!;
    private DocumentStore _documents = null!;
    private ChunkStore _chunks = null!;
    private BackupStore _backups = null!;
    private readonly ManualClock _clock = new();

    [SetUp]
    public async Task CreateStore()
    {
        _database = await TestDatabase.CreateAsync(provider);
        _db = _database.Db;
        _jobs = new JobStore(_db, _clock);
        _documents = new DocumentStore(_db, TimeProvider.System);
        _chunks = new ChunkStore(_db, TimeProvider.System);
        _backups = new BackupStore(_db, TimeProvider.System);
    }

    [TearDown]
    public async Task DropStore()
    {
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Should_migrate_idempotently()
    {
        var before = await _db.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version");
        await new SchemaMigrator(_db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        var versions = await _db.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version");
        Assert.That(versions, Is.EqualTo(before), "a second migration applies nothing");
        Assert.That(versions, Does.Contain(1).And.Unique);
    }

    [Test]
    public async Task Should_run_a_job_from_queued_to_succeeded_and_keep_it_final()
    {
        var job = await _jobs.CreateAsync("acme", JobTypes.Ingest, null, Guid.NewGuid());
        Assert.That(job.Status, Is.EqualTo(JobStatus.Queued));

        var (claim, running) = await _jobs.TryStartAsync(job.Id);
        Assert.That(claim, Is.EqualTo(JobClaim.Started));
        Assert.That(running!.Status, Is.EqualTo(JobStatus.Running));
        Assert.That(running.Attempts, Is.EqualTo(1));
        Assert.That(await _jobs.ReportProgressAsync(job.Id, 40), Is.True);
        Assert.That(await _jobs.SucceedAsync(job.Id, """{"chunks":3}"""), Is.True);

        Assert.That(await _jobs.FailAsync(job.Id, "timeout", "late failure"), Is.False, "a final state never changes");
        Assert.That((await _jobs.TryStartAsync(job.Id)).Claim, Is.EqualTo(JobClaim.Ended), "a redelivered command finds the job ended");
        var done = await _jobs.GetAsync(job.Id);
        Assert.That(done!.Status, Is.EqualTo(JobStatus.Succeeded));
        Assert.That(done.Progress, Is.EqualTo(100));
        Assert.That(done.Result, Is.EqualTo("""{"chunks":3}"""));
        Assert.That(done.FinishedAt, Is.Not.Null);
    }

    [Test]
    public async Task Should_refuse_a_duplicate_claim_while_the_lease_is_live_and_grant_it_once_expired()
    {
        var job = await _jobs.CreateAsync("acme", JobTypes.Ingest, null);
        var lease = TimeSpan.FromSeconds(30);
        Assert.That((await _jobs.TryStartAsync(job.Id, leaseTimeout: lease)).Claim, Is.EqualTo(JobClaim.Started));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.That((await _jobs.TryStartAsync(job.Id, leaseTimeout: lease)).Claim, Is.EqualTo(JobClaim.Busy));
        Assert.That((await _jobs.TryStartAsync(job.Id, continuation: true, leaseTimeout: lease)).Claim, Is.EqualTo(JobClaim.Started),
            "the next step of the same attempt continues the job");
        _clock.Advance(TimeSpan.FromSeconds(31));
        var (claim, taken) = await _jobs.TryStartAsync(job.Id, leaseTimeout: lease);
        Assert.That(claim, Is.EqualTo(JobClaim.Started));
        Assert.That(taken!.Attempts, Is.EqualTo(2), "a continuation is not an attempt; a takeover is");
    }

    [Test]
    public async Task Should_let_the_next_delivery_claim_a_released_job_at_once()
    {
        var job = await _jobs.CreateAsync("acme", JobTypes.Ingest, null);
        await _jobs.TryStartAsync(job.Id);
        await _jobs.ReleaseAsync(job.Id);
        Assert.That((await _jobs.GetAsync(job.Id))!.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That((await _jobs.TryStartAsync(job.Id)).Claim, Is.EqualTo(JobClaim.Started));
    }

    [Test]
    public async Task Should_requeue_jobs_of_a_dead_worker_and_fail_them_after_the_last_attempt()
    {
        var lease = TimeSpan.FromSeconds(30);
        var job = await _jobs.CreateAsync("acme", JobTypes.Ingest, null);
        await _jobs.MarkDispatchedAsync(job.Id);
        await _jobs.TryStartAsync(job.Id, leaseTimeout: lease);

        Assert.That((await _jobs.RecoverLostAsync(lease, maxAttempts: 2)).Requeued, Is.Zero, "a live lease is left alone");
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That((await _jobs.RecoverLostAsync(lease, maxAttempts: 2)).Requeued, Is.EqualTo(1));
        var requeued = await _jobs.GetAsync(job.Id);
        Assert.That((requeued!.Status, requeued.DispatchedAt), Is.EqualTo((JobStatus.Queued, (DateTimeOffset?)null)),
            "queued and unsent, so the dispatcher sends it again");

        await _jobs.TryStartAsync(job.Id, leaseTimeout: lease);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var (requeuedAgain, failed) = await _jobs.RecoverLostAsync(lease, maxAttempts: 2);
        Assert.That(requeuedAgain, Is.Zero);
        Assert.That(failed.Select(f => (f.Id, f.Status, f.ErrorCode)), Is.EqualTo(new[] { (job.Id, JobStatus.Failed, "worker_lost") }));
    }

    [Test]
    public async Task Should_count_sent_unfinished_jobs_per_tenant_and_type()
    {
        var sent = await _jobs.CreateAsync("acme", JobTypes.Answer, "{}");
        await _jobs.MarkDispatchedAsync(sent.Id);
        await _jobs.CreateAsync("acme", JobTypes.Answer, "{}"); // held: not sent
        var done = await _jobs.CreateAsync("acme", JobTypes.Answer, "{}");
        await _jobs.MarkDispatchedAsync(done.Id);
        await _jobs.SucceedAsync(done.Id, null);
        var other = await _jobs.CreateAsync("globex", JobTypes.Ingest, null);
        await _jobs.MarkDispatchedAsync(other.Id);

        var all = await _jobs.CountInFlightAsync();
        Assert.That(all[("acme", JobTypes.Answer)], Is.EqualTo(1));
        Assert.That(all[("globex", JobTypes.Ingest)], Is.EqualTo(1));
        Assert.That((await _jobs.CountInFlightAsync(["acme"])).ContainsKey(("acme", JobTypes.Ingest)), Is.False);
    }

    [Test]
    public async Task Should_count_a_sent_but_unrecorded_job_while_it_is_queued_and_not_again_once_claimed_or_ended()
    {
        var queued = await _jobs.CreateAsync("acme", JobTypes.Probe, null);
        var claimed = await _jobs.CreateAsync("acme", JobTypes.Probe, null);
        await _jobs.TryStartAsync(claimed.Id); // the claim records the send
        var ended = await _jobs.CreateAsync("acme", JobTypes.Probe, null);
        await _jobs.TryStartAsync(ended.Id);
        await _jobs.SucceedAsync(ended.Id, null);
        var recorded = await _jobs.CreateAsync("acme", JobTypes.Probe, null);
        await _jobs.MarkDispatchedAsync(recorded.Id);
        await _jobs.CreateAsync("acme", JobTypes.Probe, null); // held: neither sent nor recorded

        var counts = await _jobs.CountInFlightAsync(["acme"], sentUnrecorded: [queued.Id, claimed.Id, ended.Id]);

        Assert.That(counts, Is.EquivalentTo(new Dictionary<(string, string), int> { [("acme", JobTypes.Probe)] = 3 }),
            "queued, claimed and recorded count once each; the ended and the held job not at all");
        Assert.That((await _jobs.CountInFlightAsync(["acme"]))[("acme", JobTypes.Probe)], Is.EqualTo(2), "without the ids: recorded sends only");
    }

    [Test]
    public async Task Should_record_the_sends_of_a_batch_and_count_in_flight_for_the_batch_tenants()
    {
        var acme = await _jobs.CreateAsync("acme", JobTypes.Probe, null);
        var acmeHeld = await _jobs.CreateAsync("acme", JobTypes.Probe, null);
        var globex = await _jobs.CreateAsync("globex", JobTypes.Probe, null);
        var initech = await _jobs.CreateAsync("initech", JobTypes.Probe, null);
        await _jobs.MarkDispatchedAsync([acme.Id, globex.Id, initech.Id]);
        await _jobs.MarkDispatchedAsync([]);

        Assert.That((await _jobs.GetAsync(acme.Id))!.DispatchedAt, Is.Not.Null);
        Assert.That((await _jobs.GetAsync(acmeHeld.Id))!.DispatchedAt, Is.Null, "only the jobs named are marked sent");
        var counts = await _jobs.CountInFlightAsync(["acme", "globex"]);
        Assert.That(counts, Is.EquivalentTo(new Dictionary<(string, string), int>
        {
            [("acme", JobTypes.Probe)] = 1, [("globex", JobTypes.Probe)] = 1,
        }), "tenants outside the batch are not counted, unsent jobs are not in flight");
    }

    [Test]
    public async Task Should_not_record_a_late_send_of_a_job_requeued_since_it_was_chosen()
    {
        var requeued = await _jobs.CreateAsync("acme", JobTypes.Probe, null);
        var started = await _jobs.CreateAsync("acme", JobTypes.Probe, null);
        var waiting = await _jobs.CreateAsync("acme", JobTypes.Probe, null);
        var chosenAt = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(1));
        await _jobs.TryStartAsync(requeued.Id);
        await _jobs.FailAsync(requeued.Id, "timeout", "fast failure");
        Assert.That(await _jobs.RequeueAsync(requeued.Id), Is.True, "retried while its first command's send is being recorded");
        await _jobs.TryStartAsync(started.Id);

        await _jobs.MarkDispatchedAsync([requeued.Id, started.Id, waiting.Id], unchangedSince: chosenAt);

        Assert.That((await _jobs.GetAsync(requeued.Id))!.DispatchedAt, Is.Null, "its new run is unsent, so the sweeper must still see it");
        Assert.That((await _jobs.GetAsync(started.Id))!.DispatchedAt, Is.Not.Null);
        Assert.That((await _jobs.GetAsync(waiting.Id))!.DispatchedAt, Is.Not.Null);
    }

    [Test]
    public async Task Should_list_at_most_a_turn_of_each_tenants_unsent_jobs_so_no_backlog_crowds_out_others()
    {
        for (var i = 0; i < 5; i++)
        {
            await _jobs.CreateAsync("bulk", JobTypes.Probe, null);
        }
        var small = await _jobs.CreateAsync("small", JobTypes.Probe, null);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var listed = await _jobs.ListUndispatchedAsync(TimeSpan.FromSeconds(5), limit: 3, perTenant: 2);

        Assert.That(listed.Select(j => j.TenantId), Is.EqualTo(new[] { "bulk", "bulk", "small" }));
        Assert.That(listed[2].Id, Is.EqualTo(small.Id));
    }

    [Test]
    public async Task Should_return_the_recorded_row_on_success_and_nothing_when_the_job_already_ended()
    {
        var job = await _jobs.CreateAsync("acme", JobTypes.Probe, null);
        await _jobs.TryStartAsync(job.Id);

        var ended = await _jobs.SucceedReturningAsync(job.Id, """{"ok":true}""");
        Assert.That((ended!.Id, ended.Status, ended.Result, ended.Progress), Is.EqualTo((job.Id, JobStatus.Succeeded, """{"ok":true}""", 100)));
        Assert.That(ended.FinishedAt, Is.Not.Null);
        Assert.That(await _jobs.SucceedReturningAsync(job.Id, null), Is.Null, "a final state never changes");
    }

    [Test]
    public async Task Should_end_a_job_cancelled_before_its_start_instead_of_starting_it()
    {
        var job = await _jobs.CreateAsync("acme", JobTypes.Probe, null);
        await _jobs.MarkDispatchedAsync(job.Id);
        await _db.ExecuteAsync("UPDATE jobs SET cancel_requested = @yes WHERE id = @id", new { id = job.Id, yes = true });

        var (claim, ended) = await _jobs.TryStartAsync(job.Id);
        Assert.That((claim, ended!.Status, ended.Attempts), Is.EqualTo((JobClaim.Ended, JobStatus.Cancelled, 0)));
        Assert.That((await _jobs.TryStartAsync(Guid.NewGuid())).Claim, Is.EqualTo(JobClaim.Unknown));
    }

    [Test]
    public async Task Should_mark_every_unfinished_job_for_resend_after_an_in_memory_restart()
    {
        var queued = await _jobs.CreateAsync("acme", JobTypes.Answer, "{}");
        await _jobs.MarkDispatchedAsync(queued.Id);
        var running = await _jobs.CreateAsync("acme", JobTypes.Answer, "{}");
        await _jobs.MarkDispatchedAsync(running.Id);
        await _jobs.TryStartAsync(running.Id);
        var finished = await _jobs.CreateAsync("acme", JobTypes.Answer, "{}");
        await _jobs.SucceedAsync(finished.Id, null);

        Assert.That(await _jobs.ResetUnfinishedForResendAsync(), Is.EqualTo(2));
        _clock.Advance(TimeSpan.FromSeconds(5));
        var unsent = await _jobs.ListUndispatchedAsync(TimeSpan.FromSeconds(1), 10);
        Assert.That(unsent.Select(j => j.Id), Is.EquivalentTo(new[] { queued.Id, running.Id }));
    }

    [Test]
    public async Task Should_record_failure_reason()
    {
        var job = await _jobs.CreateAsync("acme", JobTypes.Ingest, null);
        await _jobs.TryStartAsync(job.Id);
        Assert.That(await _jobs.FailAsync(job.Id, "corrupt_file", "bad bytes"), Is.True);
        var failed = await _jobs.GetAsync(job.Id);
        Assert.That((failed!.Status, failed.ErrorCode, failed.ErrorMessage), Is.EqualTo((JobStatus.Failed, "corrupt_file", "bad bytes")));
    }

    [Test]
    public async Task Should_cancel_a_queued_job_at_once_and_never_start_it()
    {
        var job = await _jobs.CreateAsync("acme", JobTypes.Answer, "{}");
        var cancelled = await _jobs.RequestCancelAsync(job.Id, "acme");
        Assert.That(cancelled!.Status, Is.EqualTo(JobStatus.Cancelled));
        Assert.That((await _jobs.TryStartAsync(job.Id)).Claim, Is.EqualTo(JobClaim.Ended));
    }

    [Test]
    public async Task Should_flag_a_running_job_for_cancel_and_report_it_on_heartbeat()
    {
        var job = await _jobs.CreateAsync("acme", JobTypes.Answer, "{}");
        await _jobs.TryStartAsync(job.Id);
        Assert.That(await _jobs.HeartbeatAsync(job.Id), Is.False);
        var flagged = await _jobs.RequestCancelAsync(job.Id, "acme");
        Assert.That(flagged!.Status, Is.EqualTo(JobStatus.Running));
        Assert.That(await _jobs.HeartbeatAsync(job.Id), Is.True);
        await _jobs.MarkCancelledAsync(job.Id);
        Assert.That((await _jobs.GetAsync(job.Id))!.Status, Is.EqualTo(JobStatus.Cancelled));
    }

    [Test]
    public async Task Should_hide_jobs_and_documents_from_other_tenants()
    {
        var job = await _jobs.CreateAsync("acme", JobTypes.Answer, "{}");
        Assert.That(await _jobs.GetAsync(job.Id, "acme"), Is.Not.Null);
        Assert.That(await _jobs.GetAsync(job.Id, "globex"), Is.Null);
        Assert.That(await _jobs.RequestCancelAsync(job.Id, "globex"), Is.Null);
        Assert.That((await _jobs.GetAsync(job.Id))!.CancelRequested, Is.False);
        Assert.That(await _jobs.ListAsync(new JobQuery("globex")), Is.Empty);

        var document = await _documents.CreateAsync(NewDocument("acme"));
        Assert.That(await _documents.GetAsync(document.Id, "acme"), Is.Not.Null);
        Assert.That(await _documents.GetAsync(document.Id, "globex"), Is.Null);
    }

    [Test]
    public async Task Should_list_undispatched_jobs_only_after_the_grace_period()
    {
        var job = await _jobs.CreateAsync("acme", JobTypes.Backup, null);
        Assert.That(await _jobs.ListUndispatchedAsync(TimeSpan.FromMinutes(1), 10), Is.Empty);
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That((await _jobs.ListUndispatchedAsync(TimeSpan.FromMinutes(1), 10)).Select(j => j.Id), Does.Contain(job.Id));
        await _jobs.MarkDispatchedAsync(job.Id);
        Assert.That(await _jobs.ListUndispatchedAsync(TimeSpan.FromMinutes(1), 10), Is.Empty);
    }

    [Test]
    public async Task Should_replace_chunks_without_duplicates_and_keep_ids_of_unchanged_content()
    {
        var document = await _documents.CreateAsync(NewDocument("acme"));
        var first = await _chunks.ReplaceAsync("acme", document.Id, [NewChunk(0, "alpha beta"), NewChunk(1, "gamma delta")]);
        await _chunks.SetEmbeddingsAsync([(first[0].Id, Unit(3, 0)), (first[1].Id, Unit(3, 1))], "m1");

        var again = await _chunks.ReplaceAsync("acme", document.Id, [NewChunk(0, "alpha beta"), NewChunk(1, "gamma changed")]);
        var stored = await _chunks.ListByDocumentAsync(document.Id);

        Assert.That(stored, Has.Count.EqualTo(2));
        Assert.That(again[0].Id, Is.EqualTo(first[0].Id), "unchanged content keeps its id");
        Assert.That(again[1].Id, Is.Not.EqualTo(first[1].Id));
        var pending = await _chunks.ListUnembeddedAsync(document.Id, "m1");
        Assert.That(pending.Select(c => c.Content), Is.EqualTo(new[] { "gamma changed" }), "unchanged content keeps its vector");
        var hits = await _chunks.KeywordSearchAsync("acme", ["gamma"], null, 10);
        Assert.That(hits, Has.Count.EqualTo(1), "the keyword index holds no stale rows");
    }

    [Test]
    public async Task Should_find_chunks_by_keyword_within_tenant_and_document_filter()
    {
        var mine = await _documents.CreateAsync(NewDocument("acme"));
        var other = await _documents.CreateAsync(NewDocument("acme"));
        var foreign = await _documents.CreateAsync(NewDocument("globex"));
        await _chunks.ReplaceAsync("acme", mine.Id, [NewChunk(0, "retention keeps seven backups"), NewChunk(1, "unrelated text")]);
        await _chunks.ReplaceAsync("acme", other.Id, [NewChunk(0, "backups are verified")]);
        await _chunks.ReplaceAsync("globex", foreign.Id, [NewChunk(0, "backups of another tenant")]);

        var all = await _chunks.KeywordSearchAsync("acme", ["backups"], null, 10);
        var filtered = await _chunks.KeywordSearchAsync("acme", ["backups"], [other.Id], 10);
        var chinese = await _chunks.KeywordSearchAsync("acme", TextTokenizer.Tokenize("备份"), null, 10);

        Assert.That(all, Has.Count.EqualTo(2));
        Assert.That(filtered, Has.Count.EqualTo(1));
        Assert.That(chinese, Is.Empty);
    }

    [Test]
    public async Task Should_load_vectors_of_the_model_and_track_their_version()
    {
        var document = await _documents.CreateAsync(NewDocument("acme"));
        var chunks = await _chunks.ReplaceAsync("acme", document.Id, [NewChunk(0, "one"), NewChunk(1, "two")]);
        var before = await _chunks.VectorVersionAsync("acme", "m1");
        await _chunks.SetEmbeddingsAsync([(chunks[0].Id, Unit(4, 2))], "m1");
        await _chunks.SetEmbeddingsAsync([(chunks[1].Id, Unit(4, 3))], "m2");

        var vectors = await _chunks.LoadVectorsAsync("acme", "m1", null);
        var after = await _chunks.VectorVersionAsync("acme", "m1");

        Assert.That(vectors, Has.Count.EqualTo(1));
        Assert.That(vectors[0].Vector, Is.EqualTo(Unit(4, 2)));
        Assert.That(after, Is.Not.EqualTo(before));
        Assert.That(after.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Should_record_one_backup_per_job_even_when_redelivered()
    {
        var jobId = Guid.NewGuid();
        var first = await _backups.StartAsync(jobId, "postgresql");
        var second = await _backups.StartAsync(jobId, "postgresql");
        Assert.That(second.Id, Is.EqualTo(first.Id));
        await _backups.CompleteAsync(first.Id, 123, "abc", "{}");
        var listed = await _backups.ListAsync();
        Assert.That(listed, Has.Count.EqualTo(1));
        Assert.That((listed[0].Status, listed[0].SizeBytes, listed[0].Sha256), Is.EqualTo((BackupStatus.Succeeded, 123L, "abc")));
    }

    [Test]
    public async Task Should_record_verification_encryption_and_copies_of_a_backup()
    {
        var backup = await _backups.StartAsync(Guid.NewGuid(), "postgresql");
        await _backups.CompleteAsync(backup.Id, 10, "abc", "{}", encrypted: true);
        await _backups.RecordVerificationAsync(backup.Id, VerifyStatus.Failed, 42, "Checksum mismatch");
        var offsiteAt = DateTimeOffset.UtcNow;
        await _backups.MarkOffsiteAsync(backup.Id, offsiteAt);
        await _backups.MarkLocalDeletedAsync(backup.Id);

        var stored = (await _backups.GetAsync(backup.Id))!;
        Assert.That((stored.Encrypted, stored.VerifyStatus, stored.RestoreMs, stored.VerifyError, stored.VerifiedAt is not null),
            Is.EqualTo((true, VerifyStatus.Failed, (long?)42, "Checksum mismatch", true)));
        Assert.That(stored.OffsiteAt, Is.EqualTo(offsiteAt).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That((stored.LocalDeletedAt is not null, stored.HasLocalCopy), Is.EqualTo((true, false)));

        await _backups.MarkOffsiteAsync(backup.Id, null);
        Assert.That((await _backups.GetAsync(backup.Id))!.OffsiteAt, Is.Null);
    }

    private static Document NewDocument(string tenant) => new()
    {
        Id = Guid.NewGuid(), TenantId = tenant, FileName = "a.md", ContentType = "text/markdown", SizeBytes = 1, Sha256 = "x",
        BlobKey = "uploads/x",
    };

    private static Chunk NewChunk(int ordinal, string content) => new()
    {
        Ordinal = ordinal, PageStart = 1, PageEnd = 1, Content = content, ContentHash = content.GetHashCode().ToString(),
        SearchText = TextTokenizer.ToSearchText(content), CharStart = 0, CharEnd = content.Length,
    };

    private static float[] Unit(int dimensions, int axis)
    {
        var v = new float[dimensions];
        v[axis] = 1;
        return v;
    }
}

/// <summary>The PostgreSQL connection defaults the hot job statements rely on, and that an operator's settings win.</summary>
[TestFixture]
public sealed class PostgresDefaultsTests
{
    [Test]
    public void Should_auto_prepare_and_skip_reset_unless_the_connection_string_says_otherwise()
    {
        var defaults = new Npgsql.NpgsqlConnectionStringBuilder(Db.WithPostgresDefaults("Host=db;Username=app;Database=platform"));
        Assert.That((defaults.MaxAutoPrepare, defaults.NoResetOnClose, defaults.Host), Is.EqualTo((32, true, "db")));

        var chosen = new Npgsql.NpgsqlConnectionStringBuilder(
            Db.WithPostgresDefaults("Host=db;Username=app;max auto prepare=0;NoResetOnClose=false"));
        Assert.That((chosen.MaxAutoPrepare, chosen.NoResetOnClose), Is.EqualTo((0, false)));
    }
}
