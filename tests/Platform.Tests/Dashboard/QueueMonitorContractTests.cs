using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Api.Dashboard.Queues;
using Platform.Data;
using Platform.Jobs;
using Platform.Messages;
using Platform.Tests.Support;

namespace Platform.Tests.Dashboard;

/// <summary>
/// The one contract both queue monitors pass: the in-memory default (single-process mode, figures from the job table)
/// and the RabbitMQ management API (a vhost of its own).
/// </summary>
[TestFixture("in-memory")]
[TestFixture("rabbitmq")]
[Category("Integration")]
public sealed class QueueMonitorContractTests(string source)
{
    private string _folder = null!;
    private Db _db = null!;
    private RabbitVhost? _vhost;
    private IQueueMonitor _monitor = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _folder = Directory.CreateTempSubdirectory("platform-queues-").FullName;
        _db = new Db(Options.Create(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(_folder, "p.db")}" }));
        await new SchemaMigrator(_db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        if (source == "rabbitmq")
        {
            _vhost = await RabbitVhost.CreateAsync();
            var (http, vhost) = RabbitMqQueueMonitor.Connect(_vhost.AmqpUri, TestServices.RabbitMqManagement.ToString());
            _monitor = new RabbitMqQueueMonitor(http, vhost, new JobStore(_db, TimeProvider.System), NullLogger<RabbitMqQueueMonitor>.Instance);
        }
        else
        {
            _monitor = new InMemoryQueueMonitor(_db, new WorkerActivity());
        }
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        if (_vhost is not null)
        {
            await _vhost.DisposeAsync();
        }
        await _db.DisposeAsync();
        TestFolders.Delete(_folder);
    }

    [Test]
    public async Task Should_list_every_command_queue_with_its_error_queue()
    {
        var queues = await _monitor.ListAsync(CancellationToken.None);

        Assert.That(queues.Select(q => q.Name), Is.EqualTo(QueueNames.All));
        Assert.That(queues.Select(q => q.Error?.Name), Is.EqualTo(QueueNames.All.Select(q => q + "_error")));
        Assert.That(queues.Select(q => q.Consumers), Is.All.EqualTo(0), "nothing consumes in this test");
        Assert.That(_monitor.Source, Is.EqualTo(source));
    }

    [Test]
    public async Task Should_count_a_command_waiting_in_its_queue()
    {
        await PutWaitingCommandAsync(QueueNames.GenerateAnswer);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30); // the management API's figures lag a few seconds
        QueueView queue;
        do
        {
            queue = (await _monitor.ListAsync(CancellationToken.None)).Single(q => q.Name == QueueNames.GenerateAnswer);
            if (queue.Depth == 1)
            {
                break;
            }
            await Task.Delay(500);
        } while (DateTime.UtcNow < deadline);

        Assert.That(queue.Depth, Is.EqualTo(1));
        Assert.That(queue.Exists, Is.True);
    }

    [Test]
    public async Task Should_move_nothing_from_a_queue_that_is_not_a_command_queue()
    {
        MoveResult? result = null;
        try
        {
            result = await _monitor.MoveErrorsBackAsync("not-a-queue", 1, CancellationToken.None);
        }
        catch (ArgumentException)
        {
        }
        Assert.That(result?.Moved ?? 0, Is.Zero);
    }

    /// <summary>A command nobody has taken yet: a queued job (in-memory) or a message in the RabbitMQ queue.</summary>
    private async Task PutWaitingCommandAsync(string queue)
    {
        if (_vhost is null)
        {
            await new JobStore(_db, TimeProvider.System).CreateAsync("default", JobTypes.Answer, "{\"question\":\"q\"}");
            return;
        }
        using var http = new HttpClient { BaseAddress = TestServices.RabbitMqManagement };
        http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
        var vhost = Uri.EscapeDataString(_vhost.Name);
        (await http.PutAsJsonAsync($"api/queues/{vhost}/{queue}", new { durable = true })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"api/exchanges/{vhost}/amq.default/publish",
            new { properties = new { }, routing_key = queue, payload = "{}", payload_encoding = "string" })).EnsureSuccessStatusCode();
    }
}
