using System.Text;
using System.Text.Json;
using Platform.Jobs;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// JSON: each top-level property (or array element) becomes a section under its key, written as "path: value" lines so
/// keys stay searchable next to their values. An array of flat objects becomes a table with the keys as header.
/// </summary>
public static class JsonParser
{
    public static ParsedDocument Parse(string text, string fileName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new JobFailureException(ReasonCodes.CorruptFile, $"'{fileName}' is not valid JSON: {ex.Message}", inner: ex);
        }
        using (document)
        {
            var sections = new List<Section>();
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in root.EnumerateObject())
                {
                    Add(sections, property.Name, property.Value);
                }
            }
            else
            {
                Add(sections, "", root);
            }
            return new ParsedDocument(sections, 1) { Format = "json" };
        }
    }

    private static void Add(List<Section> sections, string key, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0
            && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object && e.EnumerateObject().All(p => IsScalar(p.Value))))
        {
            var columns = value.EnumerateArray().SelectMany(e => e.EnumerateObject().Select(p => p.Name)).Distinct().ToList();
            var rows = new List<string> { string.Join(" | ", columns) };
            rows.AddRange(value.EnumerateArray().Select(e => string.Join(" | ",
                columns.Select(c => e.TryGetProperty(c, out var cell) ? Scalar(cell) : ""))));
            sections.Add(new Section(1, key, SectionKind.Table, string.Join('\n', rows)));
            return;
        }
        var lines = new StringBuilder();
        Flatten(lines, key, value);
        var text = lines.ToString().TrimEnd('\n');
        if (text.Length > 0)
        {
            sections.Add(new Section(1, key, SectionKind.Paragraph, text));
        }
    }

    private static void Flatten(StringBuilder lines, string path, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    Flatten(lines, path.Length == 0 ? property.Name : $"{path}.{property.Name}", property.Value);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Flatten(lines, $"{path}[{index++}]", item);
                }
                break;
            default:
                var scalar = Scalar(value);
                if (scalar.Length > 0)
                {
                    lines.Append(path.Length == 0 ? scalar : $"{path}: {scalar}").Append('\n');
                }
                break;
        }
    }

    private static bool IsScalar(JsonElement value) => value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array);

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => string.Join(' ', (value.GetString() ?? "").Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)),
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };
}
