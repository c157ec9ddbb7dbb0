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

    /// <summary>Largest document accepted, in bytes (default 50 MB). The upload is spooled to a temp file up to this size.</summary>
    [Range(1, long.MaxValue)]
    public long MaxDocumentBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Most pages (PDF pages, slides, sheets) in one document (default 2,000).</summary>
    [Range(1, 1_000_000)]
    public int MaxPages { get; set; } = 2000;

    /// <summary>Most bytes an OOXML (docx/pptx/xlsx) container may declare once decompressed (default 300 MB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxDecompressedBytes { get; set; } = 300L * 1024 * 1024;

    /// <summary>Most entries in an OOXML container (default 10,000).</summary>
    [Range(1, 1_000_000)]
    public int MaxZipEntries { get; set; } = 10_000;

    /// <summary>Largest ratio of decompressed to compressed size of one zip entry (default 200; zip bombs reach thousands).</summary>
    [Range(1, 100_000)]
    public int MaxCompressionRatio { get; set; } = 200;

    /// <summary>Wall time one file may take to parse, child processes and OCR included (default 10 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ParseTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Run OCR on PDF pages without a text layer when tesseract is installed (default true).</summary>
    public bool OcrEnabled { get; set; } = true;

    /// <summary>Tesseract languages (default eng+chi_sim).</summary>
    [Required]
    public string OcrLanguages { get; set; } = "eng+chi_sim";

    /// <summary>Resolution pages are rendered at for OCR (default 200 dpi).</summary>
    [Range(50, 600)]
    public int OcrDpi { get; set; } = 200;

    /// <summary>Command names or paths of the external tools; a name is looked up on PATH.</summary>
    [Required]
    public IngestTools Tools { get; set; } = new();

    /// <summary>Directory for spooled uploads and rendered pages (default: the system temp directory).</summary>
    public string? TempDirectory { get; set; }
}

public sealed class IngestTools
{
    public string PdfInfo { get; set; } = "pdfinfo";
    public string PdfToText { get; set; } = "pdftotext";
    public string PdfToPpm { get; set; } = "pdftoppm";
    public string Tesseract { get; set; } = "tesseract";
}
