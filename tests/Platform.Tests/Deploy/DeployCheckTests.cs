using Platform.Tests.Integration;
using Platform.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Platform.Tests.Deploy;

/// <summary>
/// The deploy files checked by the tools operators would run, offline: docker-compose's own parser, yamllint, and
/// every manifest the chart renders (each documented value combination) validated against Kubernetes' published
/// schemas, KEDA's and the Prometheus operator's (deploy/check). scripts/services.sh installs the tools.
/// </summary>
[TestFixture]
public sealed class DeployCheckTests
{
    private static IEnumerable<string> Variants() => DeployFiles.ChartVariants.Keys;

    [TestCase("docker-compose.yml")]
    [TestCase("docker-compose.yml", "deploy/compose/s3.yml")]
    public async Task Should_be_a_compose_file_docker_compose_accepts_with_the_example_env(params string[] files)
    {
        var (exit, output) = await RunAsync("docker-compose", [.. files.SelectMany(f => new[] { "-f", InRepo(f) }), "--env-file", InRepo(".env.example"), "config", "-q"]);
        Assert.That(exit, Is.Zero, output);
    }

    [Test]
    public async Task Should_pass_yamllint_on_every_deploy_yaml_file()
    {
        string[] paths = ["deploy/helm/values.yaml", "deploy/helm/Chart.yaml", "deploy/helm/files", "deploy/prometheus", "deploy/grafana",
            "deploy/otel", "deploy/compose", "docker-compose.yml"];
        var (exit, output) = await RunAsync("yamllint", ["-c", InRepo("deploy/check/yamllint.yml"), .. paths.Select(InRepo)]);
        Assert.That(exit, Is.Zero, output);
    }

    [TestCaseSource(nameof(Variants))]
    public async Task Should_render_only_manifests_that_Kubernetes_schemas_accept(string variant)
    {
        var manifests = DeployFiles.Render(DeployFiles.ChartVariants[variant]);
        var folder = Directory.CreateTempSubdirectory("platform-manifests-").FullName;
        try
        {
            var files = new List<string>();
            foreach (var (manifest, i) in manifests.Select((m, i) => (m, i)))
            {
                var path = Path.Combine(folder, $"{i:D3}-{manifest.Kind}.yaml");
                using (var writer = new StreamWriter(path))
                {
                    new YamlStream(new YamlDocument(manifest.Root)).Save(writer, assignAnchors: false);
                }
                files.Add(path);
            }
            var (exit, output) = await RunAsync("node", [InRepo("deploy/check/validate.mjs"), .. files]);
            Assert.That(exit, Is.Zero, output);
            Assert.That(output.Split('\n').Count(l => l.StartsWith("ok ", StringComparison.Ordinal)), Is.EqualTo(manifests.Count),
                "every rendered object was validated");
        }
        finally
        {
            TestFolders.Delete(folder);
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, IEnumerable<string> args)
    {
        var (exit, stdout, stderr) = await ChildProcess.RunAsync(program, args);
        return (exit, stdout + stderr);
    }

    private static string InRepo(string path) => Path.Combine(RepoPaths.Root, path);
}
