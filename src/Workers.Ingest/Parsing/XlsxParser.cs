using System.Globalization;
using System.Text;
using ExcelDataReader;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// XLSX through ExcelDataReader, streamed row by row: each sheet is a page and a table section under the sheet's name;
/// its first non-empty row is the header the chunker repeats. Empty rows and trailing empty columns are dropped.
/// </summary>
public static class XlsxParser
{
    static XlsxParser() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static ParsedDocument Parse(ParseContext context)
    {
        using var stream = File.OpenRead(context.FilePath);
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
        var sections = new List<Section>();
        var sheets = reader.ResultsCount;
        var page = 0;
        do
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            page++;
            if (page > context.Options.MaxPages)
            {
                throw new Platform.Jobs.JobFailureException(Platform.Jobs.ReasonCodes.TooLarge,
                    $"The workbook has more than {context.Options.MaxPages:N0} sheets.");
            }
            var rows = new StringBuilder();
            while (reader.Read())
            {
                var cells = new List<string>(reader.FieldCount);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    cells.Add(Format(reader.GetValue(i)));
                }
                while (cells.Count > 0 && cells[^1].Length == 0)
                {
                    cells.RemoveAt(cells.Count - 1);
                }
                if (cells.Count > 0)
                {
                    rows.Append(string.Join(" | ", cells)).Append('\n');
                }
            }
            if (rows.Length > 0)
            {
                sections.Add(new Section(page, reader.Name ?? $"Sheet {page}", SectionKind.Table, rows.ToString().TrimEnd('\n')));
            }
            context.Progress(page, sheets).GetAwaiter().GetResult();
        }
        while (reader.NextResult());
        return new ParsedDocument(sections, page) { Format = "xlsx" };
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        DateTime date => date.TimeOfDay == TimeSpan.Zero ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : date.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double number => number.ToString("G15", CultureInfo.InvariantCulture),
        bool flag => flag ? "TRUE" : "FALSE",
        _ => DocxParser.Clean(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "").Replace('\n', ' '),
    };
}
