using System.IO.Compression;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using Platform.Jobs;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// Zip containers: checks the zip-bomb limits (entry count, declared decompressed size, compression ratio) before any
/// part is read, then tells DOCX, PPTX and XLSX apart by the main part's type in [Content_Types].xml, not by the name.
/// </summary>
public static class OoxmlParser
{
    public static ParsedDocument Parse(ParseContext context)
    {
        var kind = Inspect(context);
        try
        {
            var parsed = kind switch
            {
                "docx" => DocxParser.Parse(context),
                "pptx" => PptxParser.Parse(context),
                _ => XlsxParser.Parse(context),
            };
            context.Progress(parsed.PageCount, parsed.PageCount).GetAwaiter().GetResult();
            return parsed;
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or XmlException or IOException
                                       or InvalidOperationException or ExcelDataReader.Exceptions.ExcelReaderException)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            throw new JobFailureException(ReasonCodes.CorruptFile, $"'{context.FileName}' is a damaged {kind.ToUpperInvariant()} file: {ex.Message}",
                inner: ex);
        }
    }

    private static string Inspect(ParseContext context)
    {
        var options = context.Options;
        try
        {
            using var zip = ZipFile.OpenRead(context.FilePath);
            if (zip.Entries.Count > options.MaxZipEntries)
            {
                throw new JobFailureException(ReasonCodes.TooLarge,
                    $"'{context.FileName}' has {zip.Entries.Count:N0} entries; the limit is {options.MaxZipEntries:N0} (possible zip bomb).");
            }
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (total > options.MaxDecompressedBytes)
                {
                    throw new JobFailureException(ReasonCodes.TooLarge,
                        $"'{context.FileName}' decompresses to more than {options.MaxDecompressedBytes:N0} bytes (possible zip bomb).");
                }
                if (entry.Length > 1024 * 1024 && entry.Length > (long)options.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
                {
                    throw new JobFailureException(ReasonCodes.TooLarge,
                        $"'{context.FileName}' has an entry compressed {entry.Length / Math.Max(1, entry.CompressedLength):N0}:1 (possible zip bomb).");
                }
            }
            var types = zip.GetEntry("[Content_Types].xml");
            if (types is null)
            {
                throw new JobFailureException(ReasonCodes.UnsupportedType,
                    $"'{context.FileName}' is a zip archive, not an Office document; upload the files inside it one by one.");
            }
            if (types.Length > 1024 * 1024)
            {
                throw new JobFailureException(ReasonCodes.CorruptFile, $"'{context.FileName}' has an oversized content-types part.");
            }
            using var reader = new StreamReader(types.Open());
            var xml = reader.ReadToEnd();
            if (xml.Contains("wordprocessingml.document.main", StringComparison.Ordinal) || xml.Contains("ms-word.document.macroEnabled.main"))
            {
                return "docx";
            }
            if (xml.Contains("presentationml.presentation.main", StringComparison.Ordinal) || xml.Contains("ms-powerpoint.presentation.macroEnabled.main"))
            {
                return "pptx";
            }
            if (xml.Contains("spreadsheetml.sheet.main", StringComparison.Ordinal) || xml.Contains("ms-excel.sheet.macroEnabled.main"))
            {
                return "xlsx";
            }
            throw new JobFailureException(ReasonCodes.UnsupportedType,
                $"'{context.FileName}' is an Office package of a kind not supported (supported: DOCX, PPTX, XLSX).");
        }
        catch (InvalidDataException ex)
        {
            throw new JobFailureException(ReasonCodes.CorruptFile, $"'{context.FileName}' is a damaged or truncated zip container: {ex.Message}",
                inner: ex);
        }
    }
}
