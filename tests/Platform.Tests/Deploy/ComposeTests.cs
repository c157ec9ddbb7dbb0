using System.Text.RegularExpressions;
using Platform.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Platform.Tests.Deploy;

/// <summary>docker-compose.yml and the files it mounts, parsed and checked against the code (no Docker engine here).</summary>
[TestFixture]
public sealed partial class ComposeTests
{
    public static readonly string[] PlatformServices = ["api", "scheduler", "ingest", "ai", "backup"];

    public static YamlMappingNode Services() =>
        YamlExtensions.LoadFile(Path.Combine(RepoPaths.Root, "docker-compose.yml")).Map("services");

    public static Dictionary<string, string> Environment(YamlMappingNode service)
    {
        var env = service.Map("environment");
        return env.Keys().ToDictionary(k => k, k => ((YamlScalarNode)env.Get(k)!).Value ?? "");
    }

    private static DeployFiles.Host HostOf(string service) => DeployFiles.ByName(service == "scheduler" ? "api" : service);

    [Test]
    public void Should_run_the_backing_services_and_the_observability_stack()
    {
        var services = Services();
        Assert.That(services.Keys(), Is.SupersetOf(new[]
        {
            "postgres", "rabbitmq", "redis", "elasticsearch", "neo4j", "minio", "lb", "otel-collector", "prometheus", "grafana",
        }.Concat(PlatformServices)));
        Assert.That(services.Map("rabbitmq").Str("image"), Does.Contain("management"));
        foreach (var name in new[] { "postgres", "rabbitmq", "redis", "minio", "elasticsearch", "neo4j", "prometheus", "lb" })
        {
            Assert.That(services.Map(name).Get("healthcheck"), Is.Not.Null, $"{name} has a health check to gate start order on");
        }
    }

    [TestCaseSource(nameof(PlatformServices))]
    public void Should_start_each_host_after_its_dependencies_are_healthy_and_check_its_readiness(string name)
    {
        var service = Services().Map(name);
        var dependsOn = service.Map("depends_on");
        foreach (var dependency in new[] { "postgres", "rabbitmq", "redis" })
        {
            Assert.That(dependsOn.Map(dependency).Str("condition"), Is.EqualTo("service_healthy"), $"{name} waits for {dependency}");
        }
        var test = string.Join(" ", ((YamlSequenceNode)service.Map("healthcheck").Get("test")!).Children.Select(c => c.ToString()));
        Assert.That(test, Does.Contain($"http://127.0.0.1:{HostOf(name).Port}/health/ready"));
        Assert.That(service.Str("read_only"), Is.EqualTo("true"));
        var blobRoot = Environment(service)["Blobs__Root"];
        Assert.That(((YamlSequenceNode)service.Get("volumes")!).Children.Select(c => c.ToString()), Does.Contain($"blobs:{blobRoot}"),
            "every host shares the blob volume at Blobs__Root");
    }

    [Test]
    public void Should_run_two_api_replicas_behind_a_load_balancer_and_one_scheduler()
    {
        var services = Services();
        Assert.That(services.Map("api").Map("deploy").Str("replicas"), Is.EqualTo("2"));
        Assert.That(Environment(services.Map("api"))["Scheduler__Enabled"], Is.EqualTo("false"));
        Assert.That(Environment(services.Map("scheduler"))["Scheduler__Enabled"], Is.EqualTo("true"));
        Assert.That(services.Map("scheduler").Get("deploy"), Is.Null, "one Hangfire server process: its start registers the configured crons");
        var nginx = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "compose", "nginx.conf"));
        Assert.That(nginx, Does.Contain($"server api:{HostOf("api").Port}"));
        var bodyLimit = long.Parse(BodySize().Match(nginx).Groups[1].Value) * 1024 * 1024;
        Assert.That(bodyLimit, Is.GreaterThan(new Platform.Api.ApiOptions().MaxUploadBytes), "the API, not nginx, answers 413");
    }

    [Test]
    public void Should_define_every_variable_it_uses_in_the_example_env_file()
    {
        var used = new[] { "docker-compose.yml", "deploy/compose/s3.yml" }
            .SelectMany(f => Variable().Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, f))))
            .Where(m => !m.Groups[2].Value.StartsWith(":-", StringComparison.Ordinal))
            .Select(m => m.Groups[1].Value)
            .ToHashSet();
        var example = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".env.example"))
            .Where(l => l.Contains('=') && !l.TrimStart().StartsWith('#'))
            .Select(l => l[..l.IndexOf('=')].Trim())
            .ToHashSet();
        Assert.That(used, Is.Not.Empty);
        Assert.That(used, Is.SubsetOf(example), "required variables missing from .env.example");
        var all = new[] { "docker-compose.yml", "deploy/compose/s3.yml" }
            .SelectMany(f => Variable().Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, f)))).Select(m => m.Groups[1].Value)
            .Append("COMPOSE_PROJECT_NAME") // read by compose itself, not by the file
            .ToHashSet();
        Assert.That(example.Where(v => !all.Contains(v)), Is.Empty, ".env.example variables compose never reads");
    }

    [Test]
    public void Should_declare_every_named_volume_it_mounts()
    {
        var root = YamlExtensions.LoadFile(Path.Combine(RepoPaths.Root, "docker-compose.yml"));
        var declared = root.Map("volumes").Keys().ToHashSet();
        foreach (var name in root.Map("services").Keys())
        {
            if (root.Map("services").Map(name).Get("volumes") is not YamlSequenceNode volumes)
            {
                continue;
            }
            foreach (var source in volumes.Children.Select(v => v.ToString().Split(':')[0]).Where(s => !s.StartsWith('.') && !s.StartsWith('/')))
            {
                Assert.That(declared, Does.Contain(source), $"{name} mounts {source}");
            }
            foreach (var file in volumes.Children.Select(v => v.ToString().Split(':')[0]).Where(s => s.StartsWith("./", StringComparison.Ordinal)))
            {
                Assert.That(File.Exists(Path.Combine(RepoPaths.Root, file)) || Directory.Exists(Path.Combine(RepoPaths.Root, file)), Is.True,
                    $"{name} mounts {file}, which exists");
            }
        }
    }

    [Test]
    public void Should_scrape_every_host_on_its_port_and_load_the_alert_rules()
    {
        var prometheus = YamlExtensions.LoadFile(Path.Combine(RepoPaths.Root, "deploy", "prometheus", "prometheus.yml"));
        var jobs = prometheus.Seq("scrape_configs").Cast<YamlMappingNode>().ToDictionary(j => j.Str("job_name"));
        foreach (var host in DeployFiles.Hosts)
        {
            var sd = (YamlMappingNode)jobs[$"platform-{host.Name}"].Seq("dns_sd_configs")[0];
            Assert.That(int.Parse(sd.Str("port")), Is.EqualTo(host.Port), host.Name);
        }
        Assert.That(jobs, Does.ContainKey("rabbitmq"));
        var mounts = ((YamlSequenceNode)Services().Map("prometheus").Get("volumes")!).Children.Select(c => c.ToString()).ToList();
        var ruleFile = ((YamlSequenceNode)prometheus.Get("rule_files")!).Children.Single().ToString();
        Assert.That(mounts.Any(m => m.EndsWith(":" + ruleFile + ":ro", StringComparison.Ordinal)), Is.True, "the rule file Prometheus loads is mounted");
    }

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)((?::?[-?][^}]*)?)\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"client_max_body_size\s+(\d+)m;")]
    private static partial Regex BodySize();
}
