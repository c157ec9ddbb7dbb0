using System.Text.Json;
using Npgsql;
using Platform.Tests.Support;

namespace Platform.Tests.Integration;

/// <summary>
/// Outside systems that speak only AMQP: a Python (pika) client and raw publishes submit work to the ingest and AI
/// workers running as processes on real RabbitMQ and PostgreSQL, and follow the outcome events.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class BrokerIntegrationTests
{
    private const string AcmeKey = "acme-integration-key";
    private const string GlobexKey = "globex-integration-key";
    private const string ErrorQueue = "ingest-document_error";
    private const string SkippedQueue = "ingest-document_skipped";

    private PostgresDatabase _database = null!;
    private RabbitVhost _vhost = null!;
    private BrokerInspector _broker = null!;
    private string _work = null!;
    private readonly List<HostProcess> _hosts = [];

    private string Blobs => Path.Combine(_work, "blobs");

    private static string Script(params string[] path) => Path.Combine([RepoPaths.Root, "examples", .. path]);

    [OneTimeSetUp]
    public async Task StartPlatform()
    {
        _database = await PostgresDatabase.CreateAsync();
        _vhost = await RabbitVhost.CreateAsync();
        _broker = new BrokerInspector(_vhost.Name);
        _work = Directory.CreateTempSubdirectory("platform-integration-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["Database__ConnectionString"] = _database.ConnectionString,
            ["Bus__RabbitMqUri"] = _vhost.AmqpUri,
            ["Bus__RetryInitialDelay"] = "00:00:00.200",
            ["Blobs__Root"] = Blobs,
            ["Auth__ApiKeys__0__Name"] = "acme-integration",
            ["Auth__ApiKeys__0__Key"] = AcmeKey,
            ["Auth__ApiKeys__0__Tenant"] = "acme",
            ["Auth__ApiKeys__0__Scopes__0"] = "submit",
            ["Auth__ApiKeys__1__Name"] = "globex-integration",
            ["Auth__ApiKeys__1__Key"] = GlobexKey,
            ["Auth__ApiKeys__1__Tenant"] = "globex",
            ["Auth__ApiKeys__1__Scopes__0"] = "submit",
        };
        _hosts.Add(await HostProcess.StartAsync(HostProcess.Ingest, environment, _work));
        _hosts.Add(await HostProcess.StartAsync(HostProcess.Ai, environment, _work));
    }

    [OneTimeTearDown]
    public async Task StopPlatform()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
        _broker.Dispose();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
        TestFolders.Delete(_work);
    }

    [Test]
    public async Task Should_ingest_inline_text_published_by_a_python_client_and_deliver_the_matching_outcome_event()
    {
        var file = Path.Combine(_work, "handbook.md");
        await File.WriteAllTextAsync(file, "# Handbook\n\nThe integration queue accepts documents from Python.\n");
        var capture = Path.Combine(_work, "capture.jsonl");

        var (exit, stdout, stderr) = await ChildProcess.RunAsync(ChildProcess.Python,
            [Script("python", "ingest_and_wait.py"), "--url", _vhost.AmqpUri, "--tenant", "acme", "--api-key", AcmeKey,
             "--text-file", file, "--timeout", "120", "--capture", capture]);

        Assert.That(exit, Is.EqualTo(0), $"stdout:\n{stdout}\nstderr:\n{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var correlationId = lines[0].GetProperty("correlationId").GetString();
        var outcome = lines[^1];
        Assert.That(outcome.GetProperty("event").GetString(), Is.EqualTo("JobSucceeded"));
        Assert.That(outcome.GetProperty("correlationId").GetString(), Is.EqualTo(correlationId));
        Assert.That(outcome.GetProperty("tenantId").GetString(), Is.EqualTo("acme"));
        Assert.That(outcome.GetProperty("jobType").GetString(), Is.EqualTo("ingest"));
        Assert.That(lines.Any(l => l.TryGetProperty("event", out var e) && e.GetString() == "JobProgressed"), Is.True,
            "progress is published before the outcome");

        var jobId = outcome.GetProperty("jobId").GetGuid();
        var documentId = outcome.GetProperty("documentId").GetGuid();
        Assert.That(await ScalarAsync<string>("SELECT status FROM jobs WHERE id = @id AND tenant_id = 'acme'", jobId), Is.EqualTo("succeeded"));
        Assert.That(await ScalarAsync<string>("SELECT correlation_id::text FROM jobs WHERE id = @id", jobId), Is.EqualTo(correlationId));
        Assert.That(await ScalarAsync<string>("SELECT status FROM documents WHERE id = @id AND tenant_id = 'acme'", documentId), Is.EqualTo("indexed"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM chunks WHERE document_id = @id", documentId), Is.GreaterThan(0));
    }

    [Test]
    public async Task Should_publish_outcome_events_in_the_documented_masstransit_envelope()
    {
        var file = Path.Combine(_work, "envelope.md");
        await File.WriteAllTextAsync(file, "# Envelope\n\nEvents travel in MassTransit's JSON envelope.\n");
        var capture = Path.Combine(_work, $"capture-{Guid.NewGuid():N}.jsonl");

        var (exit, stdout, stderr) = await ChildProcess.RunAsync(ChildProcess.Python,
            [Script("python", "ingest_and_wait.py"), "--url", _vhost.AmqpUri, "--tenant", "acme", "--api-key", AcmeKey,
             "--text-file", file, "--timeout", "120", "--capture", capture]);
        Assert.That(exit, Is.EqualTo(0), $"stdout:\n{stdout}\nstderr:\n{stderr}");

        var captured = (await File.ReadAllLinesAsync(capture)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        TestContext.Out.WriteLine(captured[^1].GetRawText());
        var succeeded = captured.Single(c => c.GetProperty("envelope").GetProperty("messageType")[0].GetString()!.EndsWith(":JobSucceeded"));
        Assert.That(succeeded.GetProperty("contentType").GetString(), Is.EqualTo("application/vnd.masstransit+json"));
        var envelope = succeeded.GetProperty("envelope");
        var message = envelope.GetProperty("message");
        Assert.That(envelope.EnumerateObject().Select(p => p.Name), Is.SupersetOf(new[]
        {
            "messageId", "correlationId", "conversationId", "initiatorId", "sourceAddress", "destinationAddress", "messageType", "message",
            "sentTime", "headers", "host",
        }));
        Assert.That(envelope.GetProperty("messageType").EnumerateArray().Select(e => e.GetString()),
            Is.EqualTo(new[] { "urn:message:Platform.Messages:JobSucceeded" }));
        Assert.That(envelope.GetProperty("correlationId").GetString(), Is.EqualTo(message.GetProperty("correlationId").GetString()),
            "MassTransit lifts the message's CorrelationId into the envelope");
        Assert.That(envelope.GetProperty("destinationAddress").GetString(), Does.EndWith("/Platform.Messages:JobSucceeded"));
        Assert.That(message.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "jobId", "tenantId", "jobType", "documentId", "correlationId" }));
    }

    [Test]
    public async Task Should_ingest_a_document_submitted_with_the_amqp_command_line_tools()
    {
        foreach (var outcome in new[] { "JobSucceeded", "JobFailed", "JobCancelled" })
        {
            await _broker.DeclareFanoutExchangeAsync($"Platform.Messages:{outcome}"); // amqp-tools cannot declare exchanges
        }
        var file = Path.Combine(_work, "cli.md");
        await File.WriteAllTextAsync(file, "# From the shell\n\nA \"quoted\" word,\ta tab and a back\\slash survive the escaping.\n");

        var (exit, stdout, stderr) = await ChildProcess.RunAsync("sh",
            [Script("amqp", "ingest_and_wait.sh"), _vhost.AmqpUri, "acme", AcmeKey, "cli.md", "--text-file", file, "120"]);

        Assert.That(exit, Is.EqualTo(0), $"stdout:\n{stdout}\nstderr:\n{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[^1], Is.EqualTo("JobSucceeded"));
        var envelope = JsonDocument.Parse(string.Join('\n', lines[1..^1])).RootElement; // the outcome, as received
        var documentId = envelope.GetProperty("message").GetProperty("documentId").GetGuid();
        Assert.That(await ScalarAsync<string>("SELECT status FROM documents WHERE id = @id AND tenant_id = 'acme'", documentId), Is.EqualTo("indexed"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM chunks WHERE document_id = @id AND position('\"quoted\" word,' || chr(9) || 'a tab and a back\\slash' in content) > 0", documentId),
            Is.EqualTo(1));
    }

    [Test]
    public async Task Should_ingest_content_referenced_by_a_blob_key()
    {
        var key = "incoming/acme/runbook.md";
        Directory.CreateDirectory(Path.Combine(Blobs, "incoming", "acme"));
        await File.WriteAllTextAsync(Path.Combine(Blobs, key), "# Runbook\n\nRestart the worker when the queue grows.\n");

        var (exit, stdout, stderr) = await ChildProcess.RunAsync(ChildProcess.Python,
            [Script("python", "ingest_and_wait.py"), "--url", _vhost.AmqpUri, "--tenant", "acme", "--api-key", AcmeKey,
             "--blob-key", key, "--file-name", "runbook.md", "--timeout", "120"]);

        Assert.That(exit, Is.EqualTo(0), $"stdout:\n{stdout}\nstderr:\n{stderr}");
        var outcome = JsonDocument.Parse(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        var documentId = outcome.GetProperty("documentId").GetGuid();
        Assert.That(await ScalarAsync<string>("SELECT file_name FROM documents WHERE id = @id", documentId), Is.EqualTo("runbook.md"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM chunks WHERE document_id = @id", documentId), Is.GreaterThan(0));
        Assert.That(File.Exists(Path.Combine(Blobs, key)), Is.True, "the integrator's blob is left where it was");
    }

    [Test]
    public async Task Should_reject_a_command_for_a_tenant_its_api_key_does_not_prove_to_the_error_queue_with_a_reason()
    {
        var before = await CountsAsync();
        var marker = $"foreign-{Guid.NewGuid():N}.md";
        var envelope = Envelope("IngestDocument", new { tenantId = "acme", apiKey = GlobexKey, fileName = marker, text = "not yours" });

        Assert.That(await _broker.PublishAsync("ingest-document", envelope, "application/vnd.masstransit+json"), Is.True);

        var rejected = await _broker.WaitForMessageAsync(ErrorQueue, marker, TimeSpan.FromSeconds(60));
        Assert.That(rejected, Is.Not.Null, "the command lands in ingest-document_error");
        Show(rejected!);
        Assert.That(rejected!.Header("MT-Reason"), Is.EqualTo("fault"));
        Assert.That(rejected.Header("MT-Fault-Message"), Does.StartWith("tenant_not_proven:"));
        Assert.That(rejected.Header("MT-Fault-ExceptionType"), Does.EndWith("IngestRejectedException"));
        await AssertNothingElseHappenedAsync(before);
    }

    [TestCase("another tenant's blob", "invalid_input:")]
    [TestCase("a path out of the tenant's folder", "invalid_input:")]
    [TestCase("both blob key and text", "invalid_input:")]
    [TestCase("no content", "invalid_input:")]
    [TestCase("inline text over 256 KiB", "too_large:")]
    [TestCase("a blob that does not exist", "not_found:")]
    public async Task Should_reject_a_command_that_fails_a_content_check_to_the_error_queue_with_its_reason(string problem, string reason)
    {
        Directory.CreateDirectory(Path.Combine(Blobs, "incoming", "globex"));
        await File.WriteAllTextAsync(Path.Combine(Blobs, "incoming", "globex", "secret.md"), "# Globex only\n\nNot for acme.\n");
        var before = await CountsAsync();
        var marker = $"check-{Guid.NewGuid():N}.md";
        object message = problem switch
        {
            "another tenant's blob" => new { tenantId = "acme", apiKey = AcmeKey, fileName = marker, blobKey = "incoming/globex/secret.md" },
            "a path out of the tenant's folder" => new { tenantId = "acme", apiKey = AcmeKey, fileName = marker, blobKey = "incoming/acme/../globex/secret.md" },
            "both blob key and text" => new { tenantId = "acme", apiKey = AcmeKey, fileName = marker, blobKey = "incoming/acme/a.md", text = "b" },
            "no content" => new { tenantId = "acme", apiKey = AcmeKey, fileName = marker },
            "inline text over 256 KiB" => new { tenantId = "acme", apiKey = AcmeKey, fileName = marker, text = new string('x', 256 * 1024 + 1) },
            "a blob that does not exist" => new { tenantId = "acme", apiKey = AcmeKey, fileName = marker, blobKey = $"incoming/acme/{marker}" },
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };

        Assert.That(await _broker.PublishAsync("ingest-document", Envelope("IngestDocument", message), "application/vnd.masstransit+json"), Is.True);

        var rejected = await _broker.WaitForMessageAsync(ErrorQueue, marker, TimeSpan.FromSeconds(60));
        Assert.That(rejected, Is.Not.Null, "the command lands in ingest-document_error");
        Assert.That(rejected!.Header("MT-Reason"), Is.EqualTo("fault"));
        Assert.That(rejected.Header("MT-Fault-Message"), Does.StartWith(reason));
        await AssertNothingElseHappenedAsync(before);
    }

    [TestCase("truncated JSON", "System.Text.Json.JsonReaderException")]
    [TestCase("a required field missing", "System.Text.Json.JsonException")]
    [TestCase("no envelope, bare message", "System.ArgumentNullException")]
    public async Task Should_move_a_malformed_envelope_to_the_error_queue_with_a_reason(string malformation, string exception)
    {
        var before = await CountsAsync();
        var marker = $"malformed-{Guid.NewGuid():N}.md";
        var payload = malformation switch
        {
            "truncated JSON" => Envelope("IngestDocument", new { tenantId = "acme", apiKey = AcmeKey, fileName = marker, text = "x" })[..^20],
            "a required field missing" => Envelope("IngestDocument", new { apiKey = AcmeKey, fileName = marker, text = "no tenant" }),
            "no envelope, bare message" => JsonSerializer.Serialize(new { tenantId = "acme", apiKey = AcmeKey, fileName = marker, text = "bare" }),
            _ => throw new ArgumentOutOfRangeException(nameof(malformation)),
        };

        Assert.That(await _broker.PublishAsync("ingest-document", payload, "application/vnd.masstransit+json"), Is.True);

        var rejected = await _broker.WaitForMessageAsync(ErrorQueue, marker, TimeSpan.FromSeconds(60));
        Assert.That(rejected, Is.Not.Null, "the body lands in ingest-document_error");
        Show(rejected!);
        Assert.That(rejected!.Header("MT-Reason"), Is.EqualTo("fault"));
        Assert.That(rejected.Header("MT-Fault-Message"), Is.Not.Null.And.Not.Empty);
        Assert.That(rejected.Header("MT-Fault-ExceptionType"), Is.EqualTo(exception));
        await AssertNothingElseHappenedAsync(before);
    }

    [Test]
    public async Task Should_move_a_message_of_an_unknown_type_to_the_skipped_queue()
    {
        var before = await CountsAsync();
        var marker = $"unknown-{Guid.NewGuid():N}.md";
        var envelope = Envelope("IngestDocuments", new { tenantId = "acme", apiKey = AcmeKey, fileName = marker, text = "typo in the type" });

        Assert.That(await _broker.PublishAsync("ingest-document", envelope, "application/vnd.masstransit+json"), Is.True);

        var skipped = await _broker.WaitForMessageAsync(SkippedQueue, marker, TimeSpan.FromSeconds(60));
        Assert.That(skipped, Is.Not.Null, "the message lands in ingest-document_skipped");
        Show(skipped!);
        Assert.That(skipped!.Header("MT-Reason"), Is.EqualTo("dead-letter"));
        await AssertNothingElseHappenedAsync(before);
    }

    private static void Show(BrokerMessage message) =>
        TestContext.Out.WriteLine(string.Join("\n", message.Headers.Select(h => $"{h.Key}: {h.Value}")));

    private static string Envelope(string messageType, object message) => JsonSerializer.Serialize(new
    {
        messageId = Guid.NewGuid(),
        conversationId = Guid.NewGuid(),
        destinationAddress = "rabbitmq://localhost/ingest-document",
        messageType = new[] { $"urn:message:Platform.Messages:{messageType}" },
        message,
        sentTime = DateTimeOffset.UtcNow,
        headers = new { },
    });

    private async Task AssertNothingElseHappenedAsync((long Documents, long Jobs) before)
    {
        Assert.That(await CountsAsync(), Is.EqualTo(before), "no document or job was recorded");
        Assert.That(await _vhost.ReadyMessagesAsync("parse-document") ?? 0, Is.Zero, "nothing was sent on");
        Assert.That(await _broker.ExchangeExistsAsync("MassTransit:Fault--Platform.Messages:IngestDocument--"), Is.False,
            "no Fault<IngestDocument> carrying the command (and its key) was published");
    }

    private async Task<(long Documents, long Jobs)> CountsAsync() =>
        (await ScalarAsync<long>("SELECT count(*) FROM documents", Guid.Empty), await ScalarAsync<long>("SELECT count(*) FROM jobs", Guid.Empty));

    private async Task<T?> ScalarAsync<T>(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}
