namespace Platform.Workers.Ai.Answers;

/// <summary>
/// The answerer used when no chat model is configured: it retrieves passages and quotes the sentences that
/// <see cref="SentencePicker"/> chooses, each with its source number. It invents nothing, and says so, in the question's
/// language, when nothing relevant exists.
/// </summary>
public sealed class ExtractiveAnswerer(Retrieval retrieval) : IAnswerer
{
    public const string Mode = "extractive";
    public const string NotFoundText = Retrieval.NotFoundText;
    private const int MaxSentences = 3;

    public Task<Answer> AnswerAsync(string tenantId, string question, int topK, CancellationToken ct) =>
        AnswerAsync(tenantId, question, topK, _ => Task.CompletedTask, ct);

    public async Task<Answer> AnswerAsync(string tenantId, string question, int topK, Func<string, Task> onToken, CancellationToken ct)
    {
        var (terms, relevant) = await retrieval.RetrieveAsync(tenantId, question, topK, null, ct);
        var picked = SentencePicker.Choose(question, terms, relevant, MaxSentences);
        if (picked.Count == 0)
        {
            var notFound = Retrieval.NotFoundFor(question);
            await onToken(notFound);
            return new Answer(notFound, false, Mode, []);
        }

        var citations = new List<Citation>();
        var parts = new List<string>();
        foreach (var (hit, sentence, _) in picked)
        {
            var number = citations.FindIndex(c => c.ChunkId == hit.ChunkId) + 1;
            if (number == 0)
            {
                number = citations.Count + 1;
                citations.Add(Citation.Of(number, hit));
            }
            var part = $"{sentence} [{number}]";
            await onToken(parts.Count == 0 ? part : " " + part);
            parts.Add(part);
        }
        return new Answer(string.Join(" ", parts), true, Mode, citations);
    }
}
