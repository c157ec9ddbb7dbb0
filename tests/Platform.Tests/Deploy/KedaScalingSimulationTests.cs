using System.Globalization;
using System.Text;
using Platform.Messages;
using Platform.Tests.Support;
using RabbitMQ.Client;
using YamlDotNet.RepresentationModel;

namespace Platform.Tests.Deploy;

/// <summary>
/// What KEDA would do with the chart's thresholds on a real backlog: a backlog is published to parse-document on real
/// RabbitMQ (own vhost), a consumer drains it step by step, the depth is read over the management HTTP API (what KEDA
/// reads with protocol http) and by a passive declare (protocol amqp), and the replica count KEDA's formula gives for
/// each measured depth is printed and checked.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class KedaScalingSimulationTests
{
    private RabbitVhost _vhost = null!;

    [OneTimeSetUp]
    public async Task CreateVhost() => _vhost = await RabbitVhost.CreateAsync();

    [OneTimeTearDown]
    public async Task DeleteVhost() => await _vhost.DisposeAsync();

    [Test]
    public void Should_pick_replicas_by_ceil_of_depth_over_value_clamped_with_activation_and_scale_to_zero()
    {
        var scaling = new KedaScalingModel.Scaling(0, 10, 300);
        var trigger = new KedaScalingModel.Trigger(10, 0);
        Assert.That(KedaScalingModel.DesiredReplicas(scaling, (0, trigger)), Is.EqualTo(0), "empty queue: scaled to zero after the cooldown");
        Assert.That(KedaScalingModel.DesiredReplicas(scaling, (1, trigger)), Is.EqualTo(1), "one message activates from zero");
        Assert.That(KedaScalingModel.DesiredReplicas(scaling, (10, trigger)), Is.EqualTo(1));
        Assert.That(KedaScalingModel.DesiredReplicas(scaling, (11, trigger)), Is.EqualTo(2));
        Assert.That(KedaScalingModel.DesiredReplicas(scaling, (1000, trigger)), Is.EqualTo(10), "clamped to maxReplicaCount");
        var lazy = new KedaScalingModel.Trigger(10, 5);
        Assert.That(KedaScalingModel.DesiredReplicas(scaling, (5, lazy)), Is.EqualTo(0), "at the activation value the trigger stays inactive");
        Assert.That(KedaScalingModel.DesiredReplicas(scaling, (6, lazy)), Is.EqualTo(1));
        Assert.That(KedaScalingModel.DesiredReplicas(new(2, 10, 300), (0, trigger)), Is.EqualTo(2), "never below minReplicaCount");
        Assert.That(KedaScalingModel.DesiredReplicas(scaling, (30, new(20, 0)), (25, new(10, 0))), Is.EqualTo(3), "the larger of two triggers");
    }

    [Test]
    public async Task Should_scale_the_ingest_worker_down_from_the_maximum_to_zero_as_a_measured_backlog_drains()
    {
        var (scaling, trigger) = ChartTrigger("ingest", QueueNames.ParseDocument);
        Assert.That((trigger.Value, trigger.ActivationValue, scaling.MinReplicaCount, scaling.MaxReplicaCount), Is.EqualTo((10d, 0d, 0, 10)),
            "the thresholds this table was worked out for (values.yaml ingest.scaling)");

        var factory = new ConnectionFactory { Uri = new Uri(_vhost.AmqpUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = QueueNames.ParseDocument;
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);

        const int backlog = 150;
        for (var i = 0; i < backlog; i++)
        {
            await channel.BasicPublishAsync("", queue, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
        }

        // Drained by a consumer in steps; after each the depth is measured once the management API has caught up.
        int[] drainSteps = [0, 50, 25, 35, 28, 9, 3];
        var rows = new List<(double At, long Management, uint Amqp, int Replicas, int LazyReplicas)>();
        var clock = System.Diagnostics.Stopwatch.StartNew(); // printed only: when each depth was seen
        var expectedDepth = (long)backlog;
        foreach (var step in drainSteps)
        {
            for (var i = 0; i < step; i++)
            {
                var message = await channel.BasicGetAsync(queue, autoAck: false);
                Assert.That(message, Is.Not.Null);
                await channel.BasicAckAsync(message!.DeliveryTag, multiple: false);
            }
            expectedDepth -= step;
            var management = await _vhost.WaitForReadyMessagesAsync(queue, expectedDepth, TimeSpan.FromSeconds(30));
            var passive = (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
            Assert.That(management, Is.EqualTo(expectedDepth), "the management API's depth, as KEDA's http protocol reads it");
            Assert.That(passive, Is.EqualTo((uint)expectedDepth), "the passive-declare depth, as KEDA's amqp protocol reads it");
            rows.Add((clock.Elapsed.TotalSeconds, management!.Value, passive, KedaScalingModel.DesiredReplicas(scaling, (management.Value, trigger)),
                KedaScalingModel.DesiredReplicas(scaling, (management.Value, trigger with { ActivationValue = 5 }))));
        }

        var table = new StringBuilder()
            .AppendLine($"KEDA rabbitmq trigger on {queue}: mode QueueLength, value {trigger.Value}, activationValue {trigger.ActivationValue}, " +
                        $"min {scaling.MinReplicaCount}, max {scaling.MaxReplicaCount}, cooldown {scaling.CooldownPeriod} s")
            .AppendLine("| step | seen at (s) | depth (management API) | depth (AMQP passive declare) | ceil(depth / value) | replicas | replicas if activationValue were 5 |")
            .AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {i} | {r.At:F1} | {r.Management} | {r.Amqp} | {Math.Ceiling(r.Management / trigger.Value)} | {r.Replicas} | {r.LazyReplicas} |"));
        }
        TestContext.Out.WriteLine(table.ToString());

        Assert.That(rows.Select(r => r.Management), Is.EqualTo(new long[] { 150, 100, 75, 40, 12, 3, 0 }));
        Assert.That(rows.Select(r => r.Replicas), Is.EqualTo(new[] { 10, 10, 8, 4, 2, 1, 0 }),
            "15 wanted at 150 (clamped to 10), ceil(depth/10) below, zero once empty and cooled down");
        Assert.That(rows.Select(r => r.LazyReplicas), Is.EqualTo(new[] { 10, 10, 8, 4, 2, 0, 0 }), "3 ≤ activationValue 5: not activated");
    }

    /// <summary>The chart's ScaledObject trigger for one worker queue, rendered with the default values.</summary>
    private static (KedaScalingModel.Scaling, KedaScalingModel.Trigger) ChartTrigger(string worker, string queue)
    {
        var scaled = DeployFiles.Render([]).Single(m => m.Kind == "ScaledObject" && m.Name == $"{ChartRenderer.ReleaseName}-{worker}");
        var spec = scaled.Root.Map("spec");
        var metadata = spec.Seq("triggers").Cast<YamlMappingNode>().Select(t => t.Map("metadata")).Single(m => m.Str("queueName") == queue);
        return (new KedaScalingModel.Scaling(int.Parse(spec.Str("minReplicaCount")), int.Parse(spec.Str("maxReplicaCount")), int.Parse(spec.Str("cooldownPeriod"))),
            new KedaScalingModel.Trigger(double.Parse(metadata.Str("value"), CultureInfo.InvariantCulture),
                double.Parse(metadata.Str("activationValue"), CultureInfo.InvariantCulture)));
    }
}
