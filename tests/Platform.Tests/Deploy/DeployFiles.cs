using System.Text.Json;
using MassTransit;
using Platform.Messages;
using Platform.ServiceDefaults;
using Platform.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Platform.Tests.Deploy;

/// <summary>What the deployment files are checked against: the hosts as the code defines them.</summary>
public static class DeployFiles
{
    public static string ChartDir => Path.Combine(RepoPaths.Root, "deploy", "helm");

    public sealed record Host(string Name, string Folder, string AssemblyName, int Port, IReadOnlySet<string> Queues);

    /// <summary>API and workers, each with the port it listens on by default (HostPorts) and the queues its consumers read.</summary>
    public static IReadOnlyList<Host> Hosts { get; } =
    [
        Describe("api", "Api", typeof(Platform.Api.ApiOptions).Assembly, HostPorts.Api, consumes: false),
        Describe("ingest", "Workers.Ingest", typeof(Platform.Workers.Ingest.IngestOptions).Assembly, HostPorts.Ingest),
        Describe("ai", "Workers.Ai", typeof(Platform.Workers.Ai.AiOptions).Assembly, HostPorts.Ai),
        Describe("backup", "Workers.Backup", typeof(Platform.Workers.Backup.BackupOptions).Assembly, HostPorts.Backup),
    ];

    public static IEnumerable<Host> Workers => Hosts.Where(h => h.Name != "api");

    public static Host ByName(string name) => Hosts.Single(h => h.Name == name);

    private static Host Describe(string name, string folder, System.Reflection.Assembly assembly, int port, bool consumes = true)
    {
        var queues = consumes ? ConsumedQueues(assembly) : new HashSet<string>();
        return new Host(name, folder, assembly.GetName().Name!, port, queues);
    }

    /// <summary>The command queues a worker assembly has consumers for (a queue is its command's name, kebab-cased).</summary>
    private static HashSet<string> ConsumedQueues(System.Reflection.Assembly assembly) =>
        assembly.GetTypes()
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => KebabCase(i.GetGenericArguments()[0].Name))
            .Where(QueueNames.All.Contains)
            .ToHashSet();

    private static string KebabCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>The chart's values that follow the code rather than the operator (a queue that exists or not yet).</summary>
    public static Dictionary<string, object?> CodeDrivenValues() => new()
    {
        ["backup.verifyBackupTrigger"] = ByName("backup").Queues.Contains("verify-backup"),
    };

    public static IReadOnlyDictionary<string, Dictionary<string, object?>> ChartVariants { get; } = new Dictionary<string, Dictionary<string, object?>>
    {
        ["defaults"] = [],
        ["no KEDA, fixed API replicas"] = new() { ["keda.enabled"] = false, ["api.autoscaling.enabled"] = false, ["networkPolicy.enabled"] = false },
        ["ingress, monitoring, existing secret and claim"] = new()
        {
            ["api.ingress.enabled"] = true, ["api.ingress.tlsSecretName"] = "platform-tls", ["secrets.existingSecret"] = "platform-prod",
            ["blobs.persistence.existingClaim"] = "shared-blobs", ["metrics.podMonitor.enabled"] = true,
            ["metrics.prometheusRule.enabled"] = true, ["metrics.grafanaDashboard.enabled"] = true, ["scheduler.enabled"] = false,
        },
        ["S3 blobs"] = new() { ["blobs.provider"] = "S3" },
    };

    public static IReadOnlyList<Manifest> Render(Dictionary<string, object?> variant)
    {
        var values = CodeDrivenValues();
        foreach (var (k, v) in variant)
        {
            values[k] = v;
        }
        return new ChartRenderer(ChartDir, values).Manifests();
    }

    /// <summary>Pod templates of Deployments and Jobs.</summary>
    public static IEnumerable<(Manifest Owner, YamlMappingNode Pod)> PodSpecs(IEnumerable<Manifest> manifests) =>
        manifests.Where(m => m.Kind is "Deployment" or "Job")
            .Select(m => (m, m.Root.Map("spec").Map("template").Map("spec")));
}
