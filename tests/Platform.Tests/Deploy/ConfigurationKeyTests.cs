using Platform.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Platform.Tests.Deploy;

/// <summary>
/// Every setting the chart and docker compose give the hosts is one the code reads (found by reflection over the
/// options classes), and the settings a distributed deployment cannot run without are given to every host.
/// </summary>
[TestFixture]
public sealed class ConfigurationKeyTests
{
    private static readonly string[] RequiredEverywhere = ["Database__Provider", "Database__ConnectionString", "Bus__RabbitMqUri"];

    [Test]
    public void Should_know_the_options_classes_it_checks_against()
    {
        // Guards the reflection itself: if it found nothing, every check below would pass vacuously... or fail.
        Assert.That(ConfigurationKeys.Known, Is.SupersetOf(new[]
        {
            "Database:ConnectionString", "Bus:RabbitMqUri", "Blobs:Root", "Auth:ApiKeys:{n}:Sha256", "Auth:ApiKeys:{n}:Scopes:{n}",
            "Scheduler:Enabled", "Telemetry:OtlpEndpoint", "Hosting:MigrateAndExit", "Ingest:Concurrency", "Ai:EmbedConcurrency",
        }));
        Assert.That(ConfigurationKeys.IsRead("Database__Nonsense"), Is.False);
        Assert.That(ConfigurationKeys.IsRead("Auth__ApiKeys__3__Scopes__1"), Is.True);
    }

    private static IEnumerable<TestCaseData> ChartVariants() =>
        DeployFiles.ChartVariants.Select(v => new TestCaseData(v.Key).SetArgDisplayNames(v.Key));

    [TestCaseSource(nameof(ChartVariants))]
    public void Should_set_only_keys_the_code_reads_in_the_chart(string variant)
    {
        if (variant == "S3 blobs")
        {
            Assume.That(ConfigurationKeys.FindType("S3BlobOptions"), Is.Not.Null, "the S3 blob store is not in this build yet");
        }
        var manifests = DeployFiles.Render(DeployFiles.ChartVariants[variant]);
        var keys = ChartKeys(manifests).ToList();
        Assert.That(keys, Is.Not.Empty);
        Assert.That(keys.Where(k => !ConfigurationKeys.IsRead(k)), Is.Empty, "keys no options class reads");
    }

    [Test]
    public void Should_give_every_chart_pod_the_settings_a_distributed_deployment_needs()
    {
        var manifests = DeployFiles.Render([]);
        var config = manifests.Single(m => m.Kind == "ConfigMap" && m.Name.EndsWith("-config", StringComparison.Ordinal));
        var secret = manifests.Single(m => m.Kind == "Secret");
        var provided = config.Root.Map("data").Keys().Concat(secret.Root.Map("stringData").Keys()).ToHashSet();
        Assert.That(provided, Is.SupersetOf(RequiredEverywhere));
        Assert.That(config.Root.Map("data").Str("Database__Provider"), Is.EqualTo("PostgreSql"));
        foreach (var (owner, pod) in DeployFiles.PodSpecs(manifests))
        {
            var envFrom = ((YamlMappingNode)pod.Seq("containers")[0]).Seq("envFrom").Cast<YamlMappingNode>().ToList();
            Assert.That(envFrom.Select(e => e.Get("configMapRef") is YamlMappingNode c ? c.Str("name") : null), Does.Contain(config.Name), owner.ToString());
            Assert.That(envFrom.Select(e => e.Get("secretRef") is YamlMappingNode s ? s.Str("name") : null), Does.Contain(secret.Name), owner.ToString());
        }
    }

    [Test]
    public void Should_set_only_keys_the_code_reads_in_docker_compose()
    {
        var services = ComposeTests.Services();
        foreach (var name in ComposeTests.PlatformServices)
        {
            var env = ComposeTests.Environment(services.Map(name));
            Assert.That(env.Keys.Where(k => !ConfigurationKeys.IsRead(k)), Is.Empty, $"{name}: keys no options class reads");
            Assert.That(env.Keys, Is.SupersetOf(RequiredEverywhere), name);
            Assert.That(env["Database__Provider"], Is.EqualTo("PostgreSql"), name);
        }
    }

    [Test]
    public void Should_set_only_keys_the_code_reads_in_the_compose_s3_overlay()
    {
        Assume.That(ConfigurationKeys.FindType("S3BlobOptions"), Is.Not.Null, "the S3 blob store is not in this build yet");
        var overlay = YamlExtensions.LoadFile(Path.Combine(RepoPaths.Root, "deploy", "compose", "s3.yml")).Map("services");
        foreach (var name in ComposeTests.PlatformServices)
        {
            var env = ComposeTests.Environment(overlay.Map(name));
            Assert.That(env.Keys.Where(k => !ConfigurationKeys.IsRead(k)), Is.Empty, name);
        }
    }

    private static IEnumerable<string> ChartKeys(IEnumerable<Manifest> manifests)
    {
        foreach (var m in manifests)
        {
            if (m.Kind == "ConfigMap" && m.Name.EndsWith("-config", StringComparison.Ordinal))
            {
                foreach (var k in m.Root.Map("data").Keys())
                {
                    yield return k;
                }
            }
            if (m.Kind == "Secret")
            {
                foreach (var k in m.Root.Map("stringData").Keys())
                {
                    yield return k;
                }
            }
        }
        foreach (var (_, pod) in DeployFiles.PodSpecs(manifests))
        {
            foreach (var container in pod.Seq("containers").Cast<YamlMappingNode>())
            {
                if (container.Get("env") is YamlSequenceNode env)
                {
                    foreach (var e in env.Cast<YamlMappingNode>())
                    {
                        yield return e.Str("name");
                    }
                }
            }
        }
    }
}
