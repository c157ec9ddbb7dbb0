using System.Text;
using nietras.SeparatedValues;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// CSV/TSV, read by Sep (RFC 4180 quoting: quoted fields may hold the delimiter, doubled quotes and line breaks); the
/// delimiter is whichever of , ; tab | splits the first lines most consistently.
/// The whole file is one table: first record is the header, which the chunker repeats. A leading block of '#' comment
/// lines (as in tab-separated data files: tzdata's zone1970.tab) is not data; its last line is the header when it has
/// the data's columns ("#codes	coordinates	TZ	comments").
/// </summary>
public static class CsvParser
{
    private static readonly char[] Delimiters = [',', ';', '\t', '|'];

    public static ParsedDocument Parse(string text)
    {
        var (comment, data) = SplitLeadingComments(text);
        var delimiter = GuessDelimiter(data) ?? ',';
        var records = Records(data, delimiter);
        if (comment is not null && Records(comment.TrimStart('#').Trim(' '), delimiter).FirstOrDefault() is { Count: >= 2 } header
            && header.Count == Records(data, delimiter).Take(20).Select(r => r.Count).DefaultIfEmpty().Max())
        {
            records = records.Prepend(header);
        }
        var rows = new StringBuilder();
        foreach (var record in records)
        {
            var cells = record.Select(c => string.Join(' ', c.Split(['\r', '\n', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))).ToList();
            while (cells.Count > 0 && cells[^1].Length == 0)
            {
                cells.RemoveAt(cells.Count - 1);
            }
            if (cells.Count > 0)
            {
                rows.Append(string.Join(" | ", cells)).Append('\n');
            }
        }
        var table = rows.ToString().TrimEnd('\n');
        return new ParsedDocument(table.Length == 0 ? [] : [new Section(1, "", SectionKind.Table, table)], 1) { Format = "csv" };
    }

    /// <summary>At least three lines that all split into the same number (≥ 2) of fields by one delimiter.</summary>
    public static bool LooksLikeCsv(string head)
    {
        head = SplitLeadingComments(head).Data;
        var lines = head.Replace("\r", "").Split('\n').Take(20).Where(l => l.Length > 0).ToList();
        if (lines.Count > 1 && !head.EndsWith('\n'))
        {
            lines.RemoveAt(lines.Count - 1); // the head may end mid-line
        }
        // Without a .csv name, prose with one comma per line must not pass: ask for at least three columns.
        return lines.Count >= 3 && GuessDelimiter(head, minFields: 3) is not null;
    }

    private static char? GuessDelimiter(string text, int minFields = 2)
    {
        var lines = text.Replace("\r", "").Split('\n').Take(20).Where(l => l.Length > 0).ToList();
        if (lines.Count > 1)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        if (lines.Count == 0)
        {
            return null;
        }
        foreach (var delimiter in Delimiters)
        {
            var counts = lines.Select(l => Records(l, delimiter).FirstOrDefault()?.Count ?? 0).Distinct().ToList();
            if (counts.Count == 1 && counts[0] >= minFields)
            {
                return delimiter;
            }
            // Tab-separated rows often leave trailing columns out; a tab in every line is sign enough of a table.
            if (delimiter == '\t' && lines.Count >= 3 && counts.All(c => c >= 2))
            {
                return delimiter;
            }
        }
        return null;
    }

    /// <summary>The last of the '#' lines the text starts with (null when none) and the text after them.</summary>
    private static (string? LastComment, string Data) SplitLeadingComments(string text)
    {
        string? last = null;
        var position = 0;
        while (position < text.Length && text[position] == '#')
        {
            var end = text.IndexOf('\n', position);
            end = end < 0 ? text.Length : end + 1;
            last = text[position..end].TrimEnd('\r', '\n');
            position = end;
        }
        return (last, text[position..]);
    }

    /// <summary>The records of the text (RFC 4180 quoting: a quoted field may hold the delimiter, doubled quotes, line breaks).</summary>
    private static IEnumerable<List<string>> Records(string text, char delimiter)
    {
        using var reader = Sep.New(delimiter).Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).FromText(text);
        foreach (var row in reader)
        {
            var record = new List<string>(row.ColCount);
            for (var i = 0; i < row.ColCount; i++)
            {
                record.Add(row[i].ToString());
            }
            yield return record;
        }
    }
}
