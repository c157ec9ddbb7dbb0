using System.Text;

namespace Platform.Workers.Ingest.Parsing;

public enum DocumentFormat
{
    Unknown,
    Text,
    Markdown,
    Html,
    Csv,
    Json,
    Pdf,
    Zip,
    /// <summary>OLE compound file: legacy .doc/.xls/.ppt, or an encrypted OOXML package.</summary>
    Compound,
}

/// <summary>
/// Decides a format from the first bytes of the file. Binary formats are told by magic bytes alone; text formats by
/// their content first (markup, JSON brackets) and the name only to separate look-alikes (Markdown, CSV).
/// </summary>
public static class FormatSniffer
{
    public const int HeadLength = 8192;

    public static DocumentFormat Detect(ReadOnlySpan<byte> head, string fileName)
    {
        if (head.StartsWith("%PDF-"u8) || StartsAfterJunk(head, "%PDF-"u8))
        {
            return DocumentFormat.Pdf;
        }
        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return DocumentFormat.Zip;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            return DocumentFormat.Compound;
        }
        if (!TextDecoder.LooksLikeText(head))
        {
            return DocumentFormat.Unknown;
        }
        var text = TextDecoder.DecodeHead(head);
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (LooksLikeHtml(trimmed) || (extension is ".html" or ".htm" or ".xhtml" && trimmed.StartsWith('<')))
        {
            return DocumentFormat.Html;
        }
        if (trimmed.StartsWith('{') || (trimmed.StartsWith('[') && extension == ".json"))
        {
            return DocumentFormat.Json;
        }
        if (extension is ".md" or ".markdown")
        {
            return DocumentFormat.Markdown;
        }
        if (extension is ".csv" or ".tsv" || CsvParser.LooksLikeCsv(text))
        {
            return DocumentFormat.Csv;
        }
        return LooksLikeMarkdown(text) ? DocumentFormat.Markdown : DocumentFormat.Text;
    }

    /// <summary>PDF readers accept the header within the first kilobyte; so does poppler.</summary>
    private static bool StartsAfterJunk(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic) =>
        head[..Math.Min(head.Length, 1024)].IndexOf(magic) > 0;

    private static bool LooksLikeHtml(string text)
    {
        var start = text[..Math.Min(text.Length, 1024)].ToLowerInvariant();
        return start.StartsWith("<!doctype html") || start.StartsWith("<html") || start.StartsWith("<head")
            || (start.StartsWith('<') && (start.Contains("<body") || start.Contains("<html")));
    }

    private static bool LooksLikeMarkdown(string text)
    {
        var lines = text.Split('\n').Take(200).Select(l => l.TrimEnd('\r')).ToList();
        var headings = lines.Count(l => l.StartsWith("# ") || l.StartsWith("## ") || l.StartsWith("### "));
        var fences = lines.Count(l => l.StartsWith("```"));
        return headings >= 1 && (headings + fences) * 50 >= lines.Count(l => l.Length > 0);
    }
}
