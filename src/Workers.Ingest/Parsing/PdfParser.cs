using System.Globalization;
using System.Text;
using Platform.Jobs;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// PDF through poppler: <c>pdfinfo</c> for the page count and encryption, one <c>pdftotext</c> run whose output is read
/// as a stream page by page (pages are separated by form feeds), and for pages without a text layer
/// <c>pdftoppm</c> + <c>tesseract</c> when OCR is on and installed. Progress is reported per page. Table-of-contents pages
/// (<see cref="TableOfContents"/>) are not indexed. Heading paths come from the outline or the type
/// (<see cref="PdfHeadings"/>, <see cref="PdfStructure"/>); the packer starts a new chunk at each heading.
/// </summary>
public static class PdfParser
{
    public static async Task<ParsedDocument> ParseAsync(ParseContext context)
    {
        var options = context.Options;
        var ct = context.CancellationToken;
        // pdfinfo (page count, encryption) runs alongside pdftotext rather than before it: one process start less on
        // the critical path, which is most of the cost of a short PDF.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var info = PageCountAsync(context, stop.Token);
        var pages = new List<string>();
        int Total() => info.IsCompletedSuccessfully ? info.Result : 0;
        void CheckLimit(int seen)
        {
            var total = Math.Max(seen, Total());
            if (total > options.MaxPages)
            {
                throw new JobFailureException(ReasonCodes.TooLarge, $"The PDF has {total:N0} pages; the limit is {options.MaxPages:N0}.");
            }
        }
        ToolRunner.Result result;
        try
        {
            result = await ToolRunner.RunAsync(options.Tools.PdfToText, ["-enc", "UTF-8", "-eol", "unix", context.FilePath, "-"],
                async output =>
                {
                    var page = new StringBuilder();
                    var buffer = new char[16384];
                    int read;
                    while ((read = await output.ReadAsync(buffer.AsMemory(), stop.Token)) > 0)
                    {
                        for (var i = 0; i < read; i++)
                        {
                            if (buffer[i] != '\f')
                            {
                                page.Append(buffer[i]);
                                continue;
                            }
                            pages.Add(page.ToString());
                            page.Clear();
                            CheckLimit(pages.Count);
                            if (Total() > 0)
                            {
                                await context.Progress(pages.Count, Total());
                            }
                        }
                    }
                    if (page.ToString().Trim().Length > 0)
                    {
                        pages.Add(page.ToString());
                    }
                }, stop.Token);
        }
        catch (JobFailureException)
        {
            await stop.CancelAsync();
            await Task.WhenAny(info);
            throw;
        }
        if (result.ExitCode != 0)
        {
            await stop.CancelAsync();
            await Task.WhenAny(info);
            throw Failure(result, context.FileName);
        }
        await info; // surfaces a pdfinfo failure the text run did not show
        CheckLimit(pages.Count);
        if (pages.Count == 0)
        {
            throw new JobFailureException(ReasonCodes.CorruptFile, $"'{context.FileName}' has no readable pages.");
        }

        var structure = new PdfStructure(await Task.Run(() => PdfHeadings.Read(context.FilePath, ct), ct));
        var sections = new List<Section>();
        var ocrPages = new List<int>();
        var empty = Enumerable.Range(1, pages.Count).Where(p => pages[p - 1].Trim().Length == 0).ToList();
        var ocr = options.OcrEnabled && empty.Count > 0 && ToolRunner.Exists(options.Tools.Tesseract) && ToolRunner.Exists(options.Tools.PdfToPpm);
        var waiting = ocr ? empty.Count : 0;
        await context.Progress(pages.Count - waiting, pages.Count); // OCR'd pages count as done one by one below
        // Contents pages are left out, unless the document is nothing else.
        var contents = pages.Select(TableOfContents.IsContentsPage).ToList();
        var skipContents = contents.Any(c => !c);
        for (var p = 1; p <= pages.Count; p++)
        {
            var text = pages[p - 1];
            if (skipContents && contents[p - 1])
            {
                structure.Page(p, ""); // its headings still open the path (a "Contents" entry is closed by the next one)
                continue;
            }
            if (ocr && text.Trim().Length == 0)
            {
                text = await OcrPageAsync(context, p);
                if (text.Trim().Length > 0)
                {
                    ocrPages.Add(p);
                }
                await context.Progress(pages.Count - --waiting, pages.Count);
            }
            sections.AddRange(structure.Page(p, text));
        }
        if (sections.Count == 0)
        {
            throw new JobFailureException(ReasonCodes.NoText, empty.Count == 0 || ocr
                ? $"'{context.FileName}' contains no text."
                : $"'{context.FileName}' has no text layer (scanned or image-only) and OCR is not available on the worker " +
                  (options.OcrEnabled ? "(tesseract is not installed)." : "(Ingest:OcrEnabled is false)."));
        }
        return new ParsedDocument(sections, pages.Count) { Format = "pdf", OcrPages = ocrPages };
    }

    private static async Task<int> PageCountAsync(ParseContext context, CancellationToken ct)
    {
        var info = new StringBuilder();
        var result = await ToolRunner.RunAsync(context.Options.Tools.PdfInfo, [context.FilePath], async output =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = await output.ReadAsync(buffer.AsMemory(), ct)) > 0 && info.Length < 65536)
            {
                info.Append(buffer, 0, read);
            }
        }, ct);
        if (result.ExitCode != 0)
        {
            throw Failure(result, context.FileName);
        }
        foreach (var line in info.ToString().Split('\n'))
        {
            if (line.StartsWith("Pages:") && int.TryParse(line[6..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pages))
            {
                return pages;
            }
        }
        throw new JobFailureException(ReasonCodes.CorruptFile, $"'{context.FileName}' is damaged: its page count cannot be read.");
    }

    private static JobFailureException Failure(ToolRunner.Result result, string fileName)
    {
        var detail = result.StandardError.Split('\n').LastOrDefault(l => l.Contains("Error", StringComparison.OrdinalIgnoreCase))
            ?? result.StandardError.Split('\n').LastOrDefault() ?? "";
        if (result.StandardError.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            return new JobFailureException(ReasonCodes.Encrypted, $"'{fileName}' is an encrypted PDF that needs a password to open.");
        }
        return new JobFailureException(ReasonCodes.CorruptFile, $"'{fileName}' is damaged or truncated and cannot be read ({detail.Trim()}).");
    }

    private static async Task<string> OcrPageAsync(ParseContext context, int page)
    {
        var options = context.Options;
        var ct = context.CancellationToken;
        var prefix = context.FilePath + $".p{page}";
        var image = prefix + ".png";
        try
        {
            var number = page.ToString(CultureInfo.InvariantCulture);
            var render = await ToolRunner.RunAsync(options.Tools.PdfToPpm,
                ["-f", number, "-l", number, "-r", options.OcrDpi.ToString(CultureInfo.InvariantCulture), "-gray", "-png", "-singlefile",
                 context.FilePath, prefix], null, ct);
            if (render.ExitCode != 0 || !File.Exists(image))
            {
                return "";
            }
            var text = new StringBuilder();
            var ocr = await ToolRunner.RunAsync(options.Tools.Tesseract, [image, "stdout", "-l", options.OcrLanguages, "--psm", "3"],
                async output => text.Append(await output.ReadToEndAsync(ct)), ct);
            return ocr.ExitCode == 0 ? CjkText.RemoveSpacesBetweenCjk(text.ToString()) : "";
        }
        finally
        {
            File.Delete(image);
        }
    }

    /// <summary>pdftotext (not -layout) ends a text block with a blank line; a block's trimmed, non-empty lines.</summary>
    internal static IEnumerable<List<string>> Blocks(string page) =>
        page.Replace("\r\n", "\n").Split("\n\n")
            .Select(block => block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList())
            .Where(lines => lines.Count > 0);

    /// <summary>Lines inside a block are one paragraph: joined by a space, except between two CJK characters.</summary>
    internal static string Join(IReadOnlyList<string> lines)
    {
        var paragraph = new StringBuilder(lines[0]);
        for (var i = 1; i < lines.Count; i++)
        {
            if (!(CjkText.IsCjk(paragraph[^1]) && CjkText.IsCjk(lines[i][0])))
            {
                paragraph.Append(' ');
            }
            paragraph.Append(lines[i]);
        }
        return paragraph.ToString();
    }
}

/// <summary>Chinese text has no spaces between words; line joins and OCR output must not add them.</summary>
public static class CjkText
{
    public static bool IsCjk(char c) =>
        c is >= '\u3400' and <= '\u9FFF' or >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFFEF' or >= '\uF900' and <= '\uFAFF';

    public static string RemoveSpacesBetweenCjk(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ' ' && result.Length > 0 && IsCjk(result[^1]))
            {
                var j = i;
                while (j < text.Length && text[j] == ' ')
                {
                    j++;
                }
                if (j < text.Length && IsCjk(text[j]))
                {
                    i = j - 1;
                    continue;
                }
            }
            result.Append(text[i]);
        }
        return result.ToString();
    }
}
