using Platform.Tests.Support;

namespace Platform.Tests.Integration;

/// <summary>
/// docs/schemas holds one JSON Schema per message, generated from the records. This fails when they differ; run with
/// PLATFORM_WRITE_SCHEMAS=1 to rewrite the files, then review and commit them.
/// </summary>
[TestFixture]
public sealed class MessageSchemaTests
{
    private static string Folder => Path.Combine(RepoPaths.Root, "docs", "schemas");

    private static bool Rewrite => Environment.GetEnvironmentVariable("PLATFORM_WRITE_SCHEMAS") == "1";

    [Test]
    public void Should_match_the_committed_schema_of_every_message()
    {
        Directory.CreateDirectory(Folder);
        var mismatched = new List<string>();
        foreach (var type in MessageSchemas.MessageTypes)
        {
            var path = Path.Combine(Folder, MessageSchemas.FileName(type));
            var generated = MessageSchemas.Generate(type);
            if (File.Exists(path) && File.ReadAllText(path) == generated)
            {
                continue;
            }
            mismatched.Add(Path.GetFileName(path));
            if (Rewrite)
            {
                File.WriteAllText(path, generated);
            }
        }
        Assert.That(mismatched, Is.Empty, "docs/schemas differs from the records; PLATFORM_WRITE_SCHEMAS=1 rewrites it");
    }

    [Test]
    public void Should_have_no_schema_for_a_message_that_no_longer_exists()
    {
        var expected = MessageSchemas.MessageTypes.Select(MessageSchemas.FileName).ToHashSet();
        var stale = Directory.Exists(Folder)
            ? Directory.GetFiles(Folder, "*.schema.json").Select(Path.GetFileName).Where(f => !expected.Contains(f!)).ToList()
            : [];
        if (Rewrite)
        {
            stale.ForEach(f => File.Delete(Path.Combine(Folder, f!)));
        }
        Assert.That(stale, Is.Empty, "a schema file has no message record (messages are never removed: was one renamed?)");
    }

    [Test]
    public void Should_mark_required_and_optional_fields_as_the_record_does()
    {
        var schema = System.Text.Json.JsonDocument.Parse(MessageSchemas.Generate(typeof(Platform.Messages.IngestDocument))).RootElement;
        var required = schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.That(required, Is.EquivalentTo(new[] { "tenantId", "fileName" }));
        Assert.That(schema.GetProperty("$id").GetString(), Is.EqualTo("urn:message:Platform.Messages:IngestDocument"));
        Assert.That(schema.GetProperty("properties").GetProperty("apiKey").GetProperty("description").GetString(), Does.Contain("submit"));
    }
}
