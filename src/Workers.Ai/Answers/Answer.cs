using Platform.Search;

namespace Platform.Workers.Ai.Answers;

/// <summary>An answer as stored in the job result and returned by <c>GET /api/v1/answers/{id}</c>.</summary>
public sealed record Answer(string Text, bool Found, string Mode, IReadOnlyList<Citation> Citations);

/// <summary>Source [<see cref="Number"/>] of an answer: where the cited words are, and the file they are in.</summary>
public sealed record Citation(int Number, Guid DocumentId, Guid ChunkId, int PageStart, int PageEnd, string HeadingPath, string Snippet,
    string FileName = "")
{
    public static Citation Of(int number, SearchHit hit) =>
        new(number, hit.DocumentId, hit.ChunkId, hit.PageStart, hit.PageEnd, hit.HeadingPath, hit.Snippet, hit.FileName);
}
