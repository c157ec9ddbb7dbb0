using System.Text;
using System.Text.RegularExpressions;
using Platform.Data;
using Platform.Search;
using Platform.Search.Models;

namespace Platform.Workers.Ai.Answers;

/// <summary>
/// Answers with a chat model, grounded in numbered sources: the prompt lists the retrieved passages as [1]…[n] and asks for
/// [n] after each claim; the citations are the sources the reply actually cites. With no relevant passage the model is not
/// called at all and the answer says nothing was found.
/// </summary>
public sealed partial class ChatAnswerer(Retrieval retrieval, IChatModel model) : IAnswerer
{
    public const string SystemPrompt =
        "You answer questions using only the numbered sources given. After each sentence, cite the sources it uses as [n]. " +
        "Do not use outside knowledge. If the sources do not contain the answer, reply exactly: " + Retrieval.NotFoundText +
        " Answer in the language of the question.";

    private const int MaxSourceChars = 2000;

    public string Mode => $"model:{model.Name}";

    public async Task<Answer> AnswerAsync(string tenantId, string question, int topK, Func<string, Task> onToken, CancellationToken ct)
    {
        // Any shared term qualifies here: a model judges relevance better than term overlap, and may still decline.
        var (_, sources) = await retrieval.RetrieveAsync(tenantId, question, topK, minimumCoverage: 0.01, ct);
        if (sources.Count == 0)
        {
            var notFound = Retrieval.NotFoundFor(question);
            await onToken(notFound);
            return new Answer(notFound, false, Mode, []);
        }

        var text = new StringBuilder();
        await foreach (var delta in model.StreamAsync(SystemPrompt, BuildPrompt(question, sources), ct))
        {
            text.Append(delta);
            await onToken(delta);
        }
        var reply = text.ToString();
        var cited = CitedNumbers(reply, sources.Count);
        var found = !reply.Trim().StartsWith(Retrieval.NotFoundText, StringComparison.OrdinalIgnoreCase);
        var citations = found
            ? sources.Select((h, i) => Citation.Of(i + 1, h))
                .Where(c => cited.Contains(c.Number)).ToList()
            : [];
        return new Answer(reply, found, Mode, citations);
    }

    public static string BuildPrompt(string question, IReadOnlyList<SearchHit> sources)
    {
        var sb = new StringBuilder("Sources:\n");
        for (var i = 0; i < sources.Count; i++)
        {
            var s = sources[i];
            var page = s.PageStart == s.PageEnd ? $"page {s.PageStart}" : $"pages {s.PageStart}-{s.PageEnd}";
            var content = s.Content.Length > MaxSourceChars ? s.Content[..MaxSourceChars] + "…" : s.Content;
            sb.Append('[').Append(i + 1).Append("] (").Append(page);
            if (!string.IsNullOrEmpty(s.HeadingPath))
            {
                sb.Append(", ").Append(s.HeadingPath);
            }
            sb.Append(")\n").Append(content).Append("\n\n");
        }
        return sb.Append("Question: ").Append(question).ToString();
    }

    public static HashSet<int> CitedNumbers(string reply, int sourceCount) =>
        Citations().Matches(reply).SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))
            .Select(n => int.TryParse(n, out var v) ? v : 0).Where(n => n >= 1 && n <= sourceCount).ToHashSet();

    [GeneratedRegex(@"\[(\d+(?:\s*,\s*\d+)*)\]")]
    private static partial Regex Citations();
}
