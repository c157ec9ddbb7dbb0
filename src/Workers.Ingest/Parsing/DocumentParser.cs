using System.IO.Compression;
using Microsoft.Extensions.Options;
using Platform.Jobs;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// Spools a stored upload to a temp file (bounded by <see cref="IngestOptions.MaxDocumentBytes"/>; memory stays flat
/// whatever the size), detects its format from its bytes and hands it to the format's parser under the per-file wall
/// time limit. Every failure is a <see cref="JobFailureException"/> with a stable reason code.
/// </summary>
public sealed class DocumentParser(IOptions<IngestOptions> options)
{
    public async Task<ParsedDocument> ParseAsync(Stream content, string fileName, CancellationToken ct,
        Func<int, int, Task>? progress = null)
    {
        var settings = options.Value;
        var directory = settings.TempDirectory ?? Path.GetTempPath();
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"ingest-{Guid.NewGuid():N}.bin");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.ParseTimeout);
        try
        {
            var length = await SpoolAsync(content, path, settings.MaxDocumentBytes, timeout.Token);
            if (length == 0)
            {
                throw new JobFailureException(ReasonCodes.NoText, "The file is empty.");
            }
            var head = await ReadHeadAsync(path, timeout.Token);
            var format = FormatSniffer.Detect(head, fileName);
            var context = new ParseContext(path, fileName, settings, progress ?? ((_, _) => Task.CompletedTask), timeout.Token);
            var parsed = await ParseAsync(format, context);
            return parsed.Format.Length > 0 ? parsed : parsed with { Format = format.ToString().ToLowerInvariant() };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new JobFailureException(ReasonCodes.Timeout,
                $"Parsing took longer than the limit of {settings.ParseTimeout.TotalSeconds:N0} s; the parser was stopped.");
        }
        finally
        {
            TryDelete(path);
        }
    }

    private static async Task<ParsedDocument> ParseAsync(DocumentFormat format, ParseContext context)
    {
        switch (format)
        {
            case DocumentFormat.Pdf:
                return await PdfParser.ParseAsync(context);
            case DocumentFormat.Zip:
                return OoxmlParser.Parse(context);
            case DocumentFormat.Compound:
                throw CompoundFile.IsEncryptedPackage(context.FilePath)
                    ? new JobFailureException(ReasonCodes.Encrypted, $"'{context.FileName}' is a password-protected Office document.")
                    : new JobFailureException(ReasonCodes.UnsupportedType,
                        $"'{context.FileName}' is a legacy Office file (.doc/.xls/.ppt); save it as .docx/.xlsx/.pptx or PDF.");
            case DocumentFormat.Unknown:
                throw new JobFailureException(ReasonCodes.UnsupportedType,
                    $"'{context.FileName}' is not a supported document type. Supported: PDF, DOCX, PPTX, XLSX, HTML, Markdown, " +
                    "plain text, CSV, JSON.");
        }

        var decoded = TextDecoder.Decode(await File.ReadAllBytesAsync(context.FilePath, context.CancellationToken));
        var (text, repaired) = Mojibake.Repair(decoded);
        await context.Progress(0, 1);
        var parsed = format switch
        {
            DocumentFormat.Markdown => MarkdownParser.Parse(text),
            DocumentFormat.Html => HtmlParser.Parse(text),
            DocumentFormat.Csv => CsvParser.Parse(text),
            DocumentFormat.Json => ParseJson(text, context.FileName),
            _ => PlainTextParser.Parse(text),
        };
        await context.Progress(1, 1);
        return repaired == 0 ? parsed : parsed with { TextRepaired = Math.Round((double)repaired / decoded.Length, 4) };
    }

    /// <summary>Invalid JSON named .json is a corrupt file; text that merely starts with a brace is read as text.</summary>
    private static ParsedDocument ParseJson(string text, string fileName)
    {
        try
        {
            return JsonParser.Parse(text, fileName);
        }
        catch (JobFailureException) when (!fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return PlainTextParser.Parse(text) with { Format = "text" };
        }
    }

    private static async Task<long> SpoolAsync(Stream content, string path, long limit, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new JobFailureException(ReasonCodes.TooLarge, $"The document is larger than the limit of {limit:N0} bytes.");
            }
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        return total;
    }

    private static async Task<byte[]> ReadHeadAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        var head = new byte[(int)Math.Min(FormatSniffer.HeadLength, file.Length)];
        await file.ReadExactlyAsync(head, ct);
        return head;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>OLE compound files: an encrypted OOXML package is one holding a stream named "EncryptedPackage".</summary>
public static class CompoundFile
{
    public static bool IsEncryptedPackage(string path)
    {
        var name = System.Text.Encoding.Unicode.GetBytes("EncryptedPackage");
        using var file = File.OpenRead(path);
        var buffer = new byte[Math.Min(file.Length, 1024 * 1024)];
        file.ReadExactly(buffer);
        return buffer.AsSpan().IndexOf(name) >= 0;
    }
}
