namespace Platform.Workers.Ai.Answers;

/// <summary>Answers a question from a tenant's documents. The text handed to <c>onToken</c>, concatenated, is exactly the answer's text.</summary>
public interface IAnswerer
{
    Task<Answer> AnswerAsync(string tenantId, string question, int topK, Func<string, Task> onToken, CancellationToken ct);
}
