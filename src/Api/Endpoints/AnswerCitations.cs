using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Data;

namespace Platform.Api.Endpoints;

/// <summary>
/// An answer keeps the text it was given with; each citation says whether its document has since been deleted
/// (<c>documentDeleted</c>), so a reader knows why the source cannot be opened.
/// </summary>
public static class AnswerCitations
{
    public static async Task<JobResponse> MarkDeletedAsync(JobResponse answer, string tenantId, DocumentStore documents, CancellationToken ct)
    {
        if (answer.Result is not { ValueKind: JsonValueKind.Object } result
            || !result.TryGetProperty("citations", out var citations) || citations.ValueKind != JsonValueKind.Array)
        {
            return answer;
        }
        var ids = citations.EnumerateArray()
            .Select(c => c.TryGetProperty("documentId", out var id) && id.TryGetGuid(out var g) ? g : Guid.Empty)
            .Where(g => g != Guid.Empty).Distinct().ToList();
        var gone = await documents.GoneAsync(tenantId, ids, ct);
        var node = JsonNode.Parse(result.GetRawText())!;
        foreach (var citation in node["citations"]!.AsArray().OfType<JsonObject>())
        {
            citation["documentDeleted"] = citation["documentId"]?.GetValue<string>() is { } text && Guid.TryParse(text, out var id) && gone.Contains(id);
        }
        return answer with { Result = JsonSerializer.SerializeToElement(node) };
    }
}
