namespace Platform.Workers.Ingest.Parsing;

public enum DocumentFormat
{
    Unknown,
    Text,
    Markdown,
    Pdf,
    Zip,
}

/// <summary>Decides a format from the first bytes of the file; the name only separates text formats that share bytes.</summary>
public static class FormatSniffer
{
    public const int HeadLength = 8192;

    public static DocumentFormat Detect(ReadOnlySpan<byte> head, string fileName)
    {
        if (head.StartsWith("%PDF-"u8))
        {
            return DocumentFormat.Pdf;
        }
        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return DocumentFormat.Zip;
        }
        if (!TextDecoder.LooksLikeText(head))
        {
            return DocumentFormat.Unknown;
        }
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        return extension is ".md" or ".markdown" ? DocumentFormat.Markdown : DocumentFormat.Text;
    }
}
