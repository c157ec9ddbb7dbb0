using System.Text.RegularExpressions;
using Platform.Tests.Support;

namespace Platform.Tests.Deploy;

/// <summary>The root Dockerfile, read as text (no Docker engine here): one non-root, health-checked target per host.</summary>
[TestFixture]
public sealed partial class ImageTests
{
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(RepoPaths.Root, "Dockerfile"));

    /// <summary>The lines of one build stage, from its FROM to the next.</summary>
    private static string Stage(string name)
    {
        var match = Regex.Match(Dockerfile, $@"^FROM \S+ AS {Regex.Escape(name)}\s*$(.*?)(?=^FROM |\z)", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.That(match.Success, Is.True, $"a stage named {name}");
        return match.Groups[1].Value;
    }

    private static IEnumerable<string> HostNames() => DeployFiles.Hosts.Select(h => h.Name);

    [TestCaseSource(nameof(HostNames))]
    public void Should_build_a_non_root_health_checked_image_listening_on_the_host_port(string name)
    {
        var host = DeployFiles.ByName(name);
        var stage = Stage(name);
        Assert.That(stage, Does.Contain($"EXPOSE {host.Port}"));
        Assert.That(stage, Does.Contain($"ENV ASPNETCORE_URLS=http://+:{host.Port}"));
        Assert.That(stage, Does.Match($@"HEALTHCHECK .*http://127\.0\.0\.1:{host.Port}/health/live"));
        Assert.That(stage, Does.Contain($"ENTRYPOINT [\"dotnet\", \"{host.AssemblyName}.dll\"]"));
        Assert.That(stage, Does.Contain("COPY --from=publish-" + name));
        // The runtime base switches to the app user; a stage that goes back to root for apt must leave as the app user.
        var lastUser = UserLine().Matches(Stage("runtime") + stage).Last().Groups[1].Value;
        Assert.That(lastUser, Is.EqualTo("$APP_UID"));
        Assert.That(Regex.Match(Dockerfile, $@"FROM build AS publish-{name}\s+RUN dotnet publish src/{Regex.Escape(host.Folder)}/{Regex.Escape(host.AssemblyName)}\.csproj").Success,
            Is.True, $"the {name} stage publishes {host.Folder}");
    }

    [Test]
    public void Should_build_on_the_sdk_and_run_on_the_aspnet_runtime()
    {
        Assert.That(Dockerfile, Does.Contain("FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build"));
        Assert.That(Dockerfile, Does.Contain("FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime"));
        Assert.That(Dockerfile, Does.Contain("ARG DOTNET_VERSION=10.0"));
    }

    [Test]
    public void Should_put_the_pdf_and_ocr_tools_in_the_ingest_image()
    {
        var ingest = Stage("ingest");
        Assert.That(ingest, Does.Contain("poppler-utils").And.Contain("tesseract-ocr").And.Contain("tesseract-ocr-chi-sim").And.Contain("tesseract-ocr-eng"));
    }

    [Test]
    public void Should_give_the_backup_image_the_postgresql_client_of_the_server_major_version()
    {
        var client = Regex.Match(Stage("backup"), @"postgresql-client-(\d+)");
        Assert.That(client.Success, Is.True);
        var compose = ComposeTests.Services().Map("postgres").Str("image");
        Assert.That(compose, Is.EqualTo("postgres:" + client.Groups[1].Value), "pg_dump refuses a server newer than itself");
    }

    [Test]
    public void Should_keep_build_output_and_secrets_out_of_the_build_context()
    {
        var ignore = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"));
        Assert.That(ignore, Is.SupersetOf(new[] { "**/bin/", "**/obj/", ".git/", ".env", "data/" }));
    }

    [GeneratedRegex(@"^USER (\S+)", RegexOptions.Multiline)]
    private static partial Regex UserLine();
}
