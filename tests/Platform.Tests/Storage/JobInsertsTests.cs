using Microsoft.Extensions.Logging.Abstractions;
using Platform.Data;
using Platform.Jobs;
using Platform.ServiceDefaults;
using Platform.Tests.Support;

namespace Platform.Tests.Storage;

/// <summary>Group commit of new jobs (<see cref="JobInserts"/>) on both stores: every row committed once, a bad row fails alone.</summary>
[TestFixture("Sqlite")]
[TestFixture("PostgreSql")]
[Category("Integration")]
public sealed class JobInsertsTests(string provider)
{
    private TestDatabase _database = null!;
    private JobStore _jobs = null!;

    [SetUp]
    public async Task CreateStore()
    {
        _database = await TestDatabase.CreateAsync(provider);
        _jobs = new JobStore(_database.Db, TimeProvider.System);
    }

    [TearDown]
    public async Task DropStore() => await _database.DisposeAsync();

    [Test]
    public async Task Should_commit_every_concurrent_submission_exactly_once_with_its_own_fields()
    {
        await using var inserts = new JobInserts(_jobs, _database.Db, NullLogger<JobInserts>.Instance);
        var submitted = Enumerable.Range(0, 500)
            .Select(i => _jobs.NewJob(i % 2 == 0 ? "acme" : "globex", JobTypes.Probe, i % 3 == 0 ? $"{{\"n\":{i}}}" : null,
                i % 5 == 0 ? Guid.NewGuid() : null))
            .ToList();

        // All at once, as 500 concurrent requests would: most of them share a statement.
        await Task.WhenAll(submitted.Select(inserts.InsertAsync));

        var stored = await _database.Db.QueryAsync<Guid>("SELECT id FROM jobs");
        Assert.That(stored, Is.EquivalentTo(submitted.Select(j => j.Id)), "every row once, none extra");
        foreach (var job in submitted.Where((_, i) => i % 7 == 0))
        {
            var row = await _jobs.GetAsync(job.Id);
            Assert.That(row, Is.Not.Null);
            Assert.That((row!.TenantId, row.Type, row.Status, row.Input, row.DocumentId, row.CorrelationId),
                Is.EqualTo((job.TenantId, job.Type, JobStatus.Queued, job.Input, job.DocumentId, job.CorrelationId)));
            Assert.That(row.CreatedAt, Is.EqualTo(job.CreatedAt).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(row.DispatchedAt, Is.Null, "recorded, not yet sent");
        }
    }

    [Test]
    public async Task Should_fail_only_the_request_whose_row_is_refused_when_rows_are_written_together()
    {
        await using var inserts = new JobInserts(_jobs, _database.Db, NullLogger<JobInserts>.Instance);
        var existing = await _jobs.CreateAsync("acme", JobTypes.Probe, null);
        var good = Enumerable.Range(0, 200).Select(_ => _jobs.NewJob("acme", JobTypes.Probe, null)).ToList();
        var duplicate = _jobs.NewJob("acme", JobTypes.Probe, null, id: existing.Id); // refused by the primary key

        var writes = good.Take(100).Select(inserts.InsertAsync)
            .Append(inserts.InsertAsync(duplicate))
            .Concat(good.Skip(100).Select(inserts.InsertAsync))
            .ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w;
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }));

        Assert.That(outcomes[100], Is.Not.Null, "the refused row's request gets the database's error");
        Assert.That(outcomes.Where((_, i) => i != 100), Is.All.Null, "the rows written with it are not failed by it");
        var count = await _database.Db.QuerySingleOrDefaultAsync<long>("SELECT count(*) FROM jobs");
        Assert.That(count, Is.EqualTo(201), "the 200 good rows and the row that was there; nothing twice");
    }

    [Test]
    public async Task Should_fail_every_request_of_a_batch_at_once_when_the_database_is_away()
    {
        // Nothing listens on port 1: every connection is refused, as when PostgreSQL is down.
        // SQLite: a file that does not exist, opened without leave to create it.
        var folder = Path.Combine(Path.GetTempPath(), "platform-away-" + Guid.NewGuid().ToString("N"));
        var connection = provider == "PostgreSql"
            ? "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2"
            : $"Data Source={Path.Combine(folder, "p.db")};Mode=ReadWrite";
        await using var away = new Db(Microsoft.Extensions.Options.Options.Create(new DatabaseOptions { Provider = provider, ConnectionString = connection }));
        await using var store = new JobStore(away, TimeProvider.System);
        var log = new RecordingLogger<JobInserts>();
        await using var inserts = new JobInserts(store, away, log);

        var writes = Enumerable.Range(0, 100).Select(_ => inserts.InsertAsync(store.NewJob("acme", JobTypes.Probe, null))).ToList();
        var failures = 0;
        foreach (var write in writes)
        {
            try
            {
                await write;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException)
            {
                failures++;
            }
        }

        if (Directory.Exists(folder))
        {
            TestFolders.Delete(folder);
        }
        Assert.That(failures, Is.EqualTo(100), "every request hears of the failure");
        Assert.That(log.Messages, Has.None.Contains("one at a time"),
            "a database that is away is not asked again row by row (with a hanging database that would take a timeout per row)");
    }

    [Test]
    public async Task Should_write_what_it_took_before_stopping_and_refuse_jobs_after()
    {
        var inserts = new JobInserts(_jobs, _database.Db, NullLogger<JobInserts>.Instance);
        var taken = Enumerable.Range(0, 50).Select(_ => _jobs.NewJob("acme", JobTypes.Probe, null)).Select(inserts.InsertAsync).ToList();

        await inserts.DisposeAsync();

        Assert.That(taken.All(t => t.IsCompletedSuccessfully), Is.True, "stopping waits for the rows already taken");
        Assert.That(await _database.Db.QuerySingleOrDefaultAsync<long>("SELECT count(*) FROM jobs"), Is.EqualTo(50));
        Assert.Throws<ObjectDisposedException>(() => inserts.InsertAsync(_jobs.NewJob("acme", JobTypes.Probe, null)));
    }
}

/// <summary>Keeps the formatted messages a component logs.</summary>
internal sealed class RecordingLogger<T> : Microsoft.Extensions.Logging.ILogger<T>
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
        Exception? exception, Func<TState, Exception?, string> formatter) => _messages.Enqueue(formatter(state, exception));
}
