using Microsoft.Extensions.Options;
using Platform.Infrastructure.Jobs;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>Reads a stored upload (bounded), detects its format from its bytes and turns it into sections.</summary>
public sealed class DocumentParser(IOptions<IngestOptions> options)
{
    public async Task<ParsedDocument> ParseAsync(Stream content, string fileName, CancellationToken ct)
    {
        var bytes = await ReadBoundedAsync(content, options.Value.MaxDocumentBytes, ct);
        var format = FormatSniffer.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, FormatSniffer.HeadLength)), fileName);
        return format switch
        {
            DocumentFormat.Text => PlainTextParser.Parse(TextDecoder.Decode(bytes)),
            DocumentFormat.Markdown => MarkdownParser.Parse(TextDecoder.Decode(bytes)),
            _ => throw new JobFailureException(ReasonCodes.UnsupportedType,
                $"'{fileName}' is not a supported document type (detected: {format}). Supported: plain text, Markdown."),
        };
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream content, long limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new JobFailureException(ReasonCodes.TooLarge, $"The document is larger than the limit of {limit:N0} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
