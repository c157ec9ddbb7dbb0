using System.ComponentModel.DataAnnotations;

namespace Platform.Workers.Ai;

/// <summary>Section <c>Ai</c>.</summary>
public sealed class AiOptions
{
    public const string Section = "Ai";

    /// <summary>Chunks embedded per call to the embedder (default 64).</summary>
    [Range(1, 2048)]
    public int EmbeddingBatchSize { get; set; } = 64;

    /// <summary>Documents embedded at once per process (default 2).</summary>
    [Range(1, 64)]
    public int EmbedConcurrency { get; set; } = 2;

    /// <summary>Re-embed, in the background, the documents whose vectors came from another embedding model (default true).</summary>
    public bool ReembedOnModelChange { get; set; } = true;

    /// <summary>How often to look for documents of another model after the pass at start (default 10 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReembedInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Answers generated at once per process (default 4).</summary>
    [Range(1, 64)]
    public int AnswerConcurrency { get; set; } = 4;
}
