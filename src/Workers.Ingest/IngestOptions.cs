using System.ComponentModel.DataAnnotations;

namespace Platform.Workers.Ingest;

/// <summary>Section <c>Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Most characters in one chunk (default 1,200: about 300 English tokens).</summary>
    [Range(200, 20_000)]
    public int MaxChunkChars { get; set; } = 1200;

    /// <summary>Characters of the previous chunk's last sentences repeated at the start of the next (default 150).</summary>
    [Range(0, 5_000)]
    public int OverlapChars { get; set; } = 150;

    /// <summary>Documents a worker process parses at once (default 2).</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 2;

    /// <summary>Largest document accepted, in bytes (default 50 MB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxDocumentBytes { get; set; } = 50L * 1024 * 1024;
}
