namespace Platform.Workers.Ai.Answers;

/// <summary>An answer as stored in the job result and returned by <c>GET /api/v1/answers/{id}</c>.</summary>
public sealed record Answer(string Text, bool Found, string Mode, IReadOnlyList<Citation> Citations);

/// <summary>Source [<see cref="Number"/>] of an answer: where the cited words are.</summary>
public sealed record Citation(int Number, Guid DocumentId, Guid ChunkId, int PageStart, int PageEnd, string HeadingPath, string Snippet);
