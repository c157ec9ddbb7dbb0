using Platform.Messages;
using YamlDotNet.RepresentationModel;

namespace Platform.Tests.Deploy;

/// <summary>
/// deploy/helm, rendered by <see cref="ChartRenderer"/> (no helm binary here) for several sets of values and parsed
/// as YAML, checked against what the code reads and listens on.
/// </summary>
[TestFixture]
public sealed class ChartTests
{
    private static IEnumerable<TestCaseData> Variants() =>
        DeployFiles.ChartVariants.Select(v => new TestCaseData(v.Key).SetArgDisplayNames(v.Key));

    [TestCaseSource(nameof(Variants))]
    public void Should_render_to_kubernetes_objects_with_kind_and_name(string variant)
    {
        var manifests = DeployFiles.Render(DeployFiles.ChartVariants[variant]);

        Assert.That(manifests, Is.Not.Empty);
        foreach (var m in manifests)
        {
            Assert.That(m.Root.StrOrNull("apiVersion"), Is.Not.Null.And.Not.Empty, m.ToString());
            Assert.That(m.Name, Does.StartWith(ChartRenderer.ReleaseName + "-"), m.ToString());
        }
        Assert.That(manifests.Select(m => m.ToString()).Distinct().Count(), Is.EqualTo(manifests.Count), "no object rendered twice");
    }

    [TestCaseSource(nameof(Variants))]
    public void Should_give_every_pod_probes_resources_and_a_non_root_read_only_security_context(string variant)
    {
        var manifests = DeployFiles.Render(DeployFiles.ChartVariants[variant]);
        var pods = DeployFiles.PodSpecs(manifests).ToList();
        Assert.That(pods.Count(p => p.Owner.Kind == "Deployment"), Is.GreaterThanOrEqualTo(4));

        foreach (var (owner, pod) in pods)
        {
            var podSecurity = pod.Map("securityContext");
            Assert.That(podSecurity.Str("runAsNonRoot"), Is.EqualTo("true"), owner.ToString());
            Assert.That(long.Parse(podSecurity.Str("runAsUser")), Is.GreaterThan(0), owner.ToString());
            Assert.That(pod.Str("automountServiceAccountToken"), Is.EqualTo("false"), owner.ToString());
            foreach (var container in pod.Seq("containers").Cast<YamlMappingNode>())
            {
                var security = container.Map("securityContext");
                Assert.That(security.Str("allowPrivilegeEscalation"), Is.EqualTo("false"), owner.ToString());
                Assert.That(security.Str("readOnlyRootFilesystem"), Is.EqualTo("true"), owner.ToString());
                Assert.That(((YamlSequenceNode)security.Map("capabilities").Get("drop")!).Children.Select(c => c.ToString()), Does.Contain("ALL"));
                var resources = container.Map("resources");
                Assert.That(resources.Map("requests").Keys(), Is.SupersetOf(new[] { "cpu", "memory" }), owner.ToString());
                Assert.That(resources.Map("limits").Keys(), Is.SupersetOf(new[] { "cpu", "memory" }), owner.ToString());
                // A read-only root needs a writable /tmp (pdftotext, pg_dump and .NET write there).
                var mounts = container.Seq("volumeMounts").Cast<YamlMappingNode>().Select(v => v.Str("mountPath"));
                Assert.That(mounts, Does.Contain("/tmp"), owner.ToString());
                if (owner.Kind != "Deployment")
                {
                    continue;
                }
                Assert.That(container.Map("startupProbe").Map("httpGet").Str("path"), Is.EqualTo("/health/startup"), owner.ToString());
                Assert.That(container.Map("livenessProbe").Map("httpGet").Str("path"), Is.EqualTo("/health/live"), owner.ToString());
                Assert.That(container.Map("readinessProbe").Map("httpGet").Str("path"), Is.EqualTo("/health/ready"), owner.ToString());
            }
        }
    }

    [TestCaseSource(nameof(Variants))]
    public void Should_listen_on_the_port_each_host_is_configured_for(string variant)
    {
        var manifests = DeployFiles.Render(DeployFiles.ChartVariants[variant]);
        foreach (var (owner, pod) in DeployFiles.PodSpecs(manifests).Where(p => p.Owner.Kind == "Deployment"))
        {
            var container = (YamlMappingNode)pod.Seq("containers")[0];
            var image = container.Str("image");
            var host = DeployFiles.Hosts.Single(h => image.Contains($"/platform-{h.Name}:", StringComparison.Ordinal));
            var port = (YamlMappingNode)container.Seq("ports")[0];
            Assert.That(int.Parse(port.Str("containerPort")), Is.EqualTo(host.Port), $"{owner}: {host.Folder}: HostPorts");
            Assert.That(port.Str("name"), Is.EqualTo("http"), "the probes and monitors address the port by name");
        }
    }

    [Test]
    public void Should_scale_each_worker_with_keda_on_exactly_the_queues_its_consumers_read()
    {
        var manifests = DeployFiles.Render([]);
        var scaled = manifests.Where(m => m.Kind == "ScaledObject").ToList();
        var auth = manifests.Where(m => m.Kind == "TriggerAuthentication").ToDictionary(m => m.Name);
        var secret = manifests.Single(m => m.Kind == "Secret");

        foreach (var worker in DeployFiles.Workers)
        {
            var deployment = $"{ChartRenderer.ReleaseName}-{worker.Name}";
            var scaledObject = scaled.SingleOrDefault(s => s.Root.Map("spec").Map("scaleTargetRef").Str("name") == deployment);
            Assert.That(scaledObject, Is.Not.Null, $"a ScaledObject targets {deployment}");
            Assert.That(manifests.Any(m => m.Kind == "Deployment" && m.Name == deployment));
            var spec = scaledObject!.Root.Map("spec");
            Assert.That(int.Parse(spec.Str("minReplicaCount")), Is.GreaterThanOrEqualTo(0));
            Assert.That(int.Parse(spec.Str("maxReplicaCount")), Is.GreaterThanOrEqualTo(Math.Max(1, int.Parse(spec.Str("minReplicaCount")))));
            Assert.That(int.Parse(spec.Str("cooldownPeriod")), Is.GreaterThan(0));

            var triggers = spec.Seq("triggers").Cast<YamlMappingNode>().ToList();
            var queues = new HashSet<string>();
            foreach (var trigger in triggers)
            {
                Assert.That(trigger.Str("type"), Is.EqualTo("rabbitmq"));
                var metadata = trigger.Map("metadata");
                Assert.That(metadata.Str("mode"), Is.EqualTo("QueueLength"));
                Assert.That(double.Parse(metadata.Str("value"), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0));
                Assert.That(double.Parse(metadata.Str("activationValue"), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0));
                Assert.That(metadata.Get("host"), Is.Null, "the broker address with its password comes from the Secret, not the ScaledObject");
                queues.Add(metadata.Str("queueName"));

                var authName = trigger.Map("authenticationRef").Str("name");
                Assert.That(auth, Does.ContainKey(authName));
                var target = (YamlMappingNode)auth[authName].Root.Map("spec").Seq("secretTargetRef")[0];
                Assert.That(target.Str("parameter"), Is.EqualTo("host"));
                Assert.That(target.Str("name"), Is.EqualTo(secret.Name));
                Assert.That(secret.Root.Map("stringData").Keys(), Does.Contain(target.Str("key")));
                Assert.That(target.Str("key"), Is.EqualTo("Bus__RabbitMqUri"), "KEDA watches the broker the hosts use");
            }
            Assert.That(queues, Is.SubsetOf(QueueNames.All));
            Assert.That(queues, Is.EquivalentTo(worker.Queues), $"{worker.Name} scales on the queues its consumers read");
        }
        Assert.That(scaled, Has.Count.EqualTo(DeployFiles.Workers.Count()));
    }

    [Test]
    public void Should_scale_backup_on_verify_backup_by_default()
    {
        var values = new ChartRenderer(DeployFiles.ChartDir).Values;
        Assert.That(((Dictionary<string, object?>)values["backup"]!)["verifyBackupTrigger"], Is.True);
    }

    [Test]
    public void Should_give_each_worker_a_disruption_budget_and_a_grace_period_for_in_flight_jobs()
    {
        var manifests = DeployFiles.Render([]);
        foreach (var worker in DeployFiles.Workers)
        {
            var name = $"{ChartRenderer.ReleaseName}-{worker.Name}";
            var pdb = manifests.SingleOrDefault(m => m.Kind == "PodDisruptionBudget" && m.Name == name);
            Assert.That(pdb, Is.Not.Null, $"a PodDisruptionBudget for {name}");
            Assert.That(pdb!.Root.Map("spec").Map("selector").Map("matchLabels").Str("app.kubernetes.io/component"), Is.EqualTo(worker.Name));

            var pod = manifests.Single(m => m.Kind == "Deployment" && m.Name == name).Root.Map("spec").Map("template").Map("spec");
            var grace = int.Parse(pod.Str("terminationGracePeriodSeconds"));
            var env = ((YamlMappingNode)pod.Seq("containers")[0]).Seq("env").Cast<YamlMappingNode>().ToDictionary(e => e.Str("name"), e => e.Str("value"));
            var jobsGrace = TimeSpan.Parse(env["Jobs__ShutdownGracePeriod"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(jobsGrace, Is.GreaterThanOrEqualTo(TimeSpan.FromMinutes(5)), $"{name} gives jobs in hand minutes, not the default 30 s");
            // The host stops ShutdownGracePeriod + 10 s after SIGTERM (PlatformDefaults); Kubernetes must not kill it first.
            Assert.That(TimeSpan.FromSeconds(grace), Is.GreaterThan(jobsGrace + TimeSpan.FromSeconds(10)), name);
        }
    }

    [Test]
    public void Should_run_migrations_as_a_hook_job_with_the_api_image_in_migrate_and_exit_mode()
    {
        var job = DeployFiles.Render([]).Single(m => m.Kind == "Job");
        var hooks = job.Root.Map("metadata").Map("annotations").Str("helm.sh/hook").Split(',');
        Assert.That(hooks, Does.Contain("pre-upgrade"));
        var container = (YamlMappingNode)job.Root.Map("spec").Map("template").Map("spec").Seq("containers")[0];
        Assert.That(container.Str("image"), Does.Contain("/platform-api:"));
        var env = container.Seq("env").Cast<YamlMappingNode>().ToDictionary(e => e.Str("name"), e => e.Str("value"));
        Assert.That(env["Hosting__MigrateAndExit"], Is.EqualTo("true"));
        Assert.That(ConfigurationKeys.IsRead("Hosting__MigrateAndExit"), Is.True);
    }

    [Test]
    public void Should_run_the_schedules_in_exactly_one_process()
    {
        var manifests = DeployFiles.Render([]);
        var scheduling = DeployFiles.PodSpecs(manifests)
            .Where(p => p.Owner.Kind == "Deployment")
            .Where(p => ((YamlMappingNode)p.Pod.Seq("containers")[0]).Seq("env").Cast<YamlMappingNode>()
                .Any(e => e.Str("name") == "Scheduler__Enabled" && e.Str("value") == "true"))
            .ToList();
        Assert.That(scheduling, Has.Count.EqualTo(1));
        var spec = scheduling[0].Owner.Root.Map("spec");
        Assert.That(spec.Str("replicas"), Is.EqualTo("1"));
        Assert.That(spec.Map("strategy").Str("type"), Is.EqualTo("Recreate"), "one scheduling process at a time keeps the registered crons unambiguous during a rollout");
        var api = manifests.Single(m => m.Kind == "Deployment" && m.Name == $"{ChartRenderer.ReleaseName}-api");
        var apiEnv = ((YamlMappingNode)api.Root.Map("spec").Map("template").Map("spec").Seq("containers")[0]).Seq("env");
        Assert.That(apiEnv.Cast<YamlMappingNode>().Single(e => e.Str("name") == "Scheduler__Enabled").Str("value"), Is.EqualTo("false"));
    }

    [Test]
    public void Should_run_the_Hangfire_server_in_the_API_replicas_when_no_dedicated_scheduler_runs()
    {
        var manifests = DeployFiles.Render(new() { ["scheduler.enabled"] = false });

        Assert.That(manifests.Any(m => m.Kind == "Deployment" && m.Name == $"{ChartRenderer.ReleaseName}-scheduler"), Is.False);
        var api = manifests.Single(m => m.Kind == "Deployment" && m.Name == $"{ChartRenderer.ReleaseName}-api");
        var apiEnv = ((YamlMappingNode)api.Root.Map("spec").Map("template").Map("spec").Seq("containers")[0]).Seq("env");
        Assert.That(apiEnv.Cast<YamlMappingNode>().Single(e => e.Str("name") == "Scheduler__Enabled").Str("value"), Is.EqualTo("true"),
            "someone must fire the recurring jobs");
    }

    [Test]
    public void Should_share_one_blob_location_across_every_pod()
    {
        var local = DeployFiles.Render([]);
        var claim = local.Single(m => m.Kind == "PersistentVolumeClaim");
        Assert.That(((YamlSequenceNode)claim.Root.Map("spec").Get("accessModes")!).Children.Select(c => c.ToString()), Is.EqualTo(new[] { "ReadWriteMany" }));
        var root = local.Single(m => m.Kind == "ConfigMap").Root.Map("data").Str("Blobs__Root");
        foreach (var (owner, pod) in DeployFiles.PodSpecs(local))
        {
            var container = (YamlMappingNode)pod.Seq("containers")[0];
            var mount = container.Seq("volumeMounts").Cast<YamlMappingNode>().Single(v => v.Str("name") == "blobs");
            Assert.That(mount.Str("mountPath"), Is.EqualTo(root), owner.ToString());
            var volume = pod.Seq("volumes").Cast<YamlMappingNode>().Single(v => v.Str("name") == "blobs");
            Assert.That(volume.Map("persistentVolumeClaim").Str("claimName"), Is.EqualTo(claim.Name), owner.ToString());
        }

        var s3 = DeployFiles.Render(DeployFiles.ChartVariants["S3 blobs"]);
        Assert.That(s3.Any(m => m.Kind == "PersistentVolumeClaim"), Is.False);
        Assert.That(s3.Single(m => m.Kind == "ConfigMap").Root.Map("data").Str("Blobs__Provider"), Is.EqualTo("S3"));
    }

    [Test]
    public void Should_restrict_ingress_with_network_policies_and_limit_upload_size_at_the_ingress()
    {
        var manifests = DeployFiles.Render(DeployFiles.ChartVariants["ingress, monitoring, existing secret and claim"]);
        Assert.That(DeployFiles.Render([]).Count(m => m.Kind == "NetworkPolicy"), Is.EqualTo(2));
        var ingress = manifests.Single(m => m.Kind == "Ingress");
        var bodySize = ingress.Root.Map("metadata").Map("annotations").Str("nginx.ingress.kubernetes.io/proxy-body-size");
        var maxUpload = long.Parse((string)((Dictionary<string, object?>)new ChartRenderer(DeployFiles.ChartDir).Values["api"]!)["maxUploadBytes"]!);
        Assert.That(long.Parse(bodySize.TrimEnd('m')) * 1024 * 1024, Is.GreaterThan(maxUpload), "the API, not the proxy, answers 413");
        Assert.That(manifests.Any(m => m.Kind == "Secret"), Is.False, "an existing Secret replaces the chart's");
        Assert.That(manifests.Single(m => m.Kind == "PrometheusRule").Root.Map("spec").Seq("groups"), Is.Not.Empty);
        Assert.That(manifests.Single(m => m.Kind == "PodMonitor").Root.Map("spec").Str("jobLabel"), Is.EqualTo("metrics-job"));
        var dashboard = manifests.Single(m => m.Name.EndsWith("grafana-dashboard", StringComparison.Ordinal)).Root.Map("data").Str("platform.json");
        Assert.That(System.Text.Json.JsonDocument.Parse(dashboard).RootElement.GetProperty("uid").GetString(), Is.EqualTo("platform-overview"));
    }
}
