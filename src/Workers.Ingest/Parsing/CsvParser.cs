using System.Text;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// CSV/TSV. The record reader is still hand-written: it predates the CSV libraries the package source now serves (Sep 0.18,
/// CsvHelper 34, Sylvan.Data.Csv 1.4), and replacing it is open work, not a decision to keep it. RFC 4180 quoting (quoted fields may hold the delimiter,
/// doubled quotes and line breaks); the delimiter is whichever of , ; tab | splits the first lines most consistently.
/// The whole file is one table: first record is the header, which the chunker repeats.
/// </summary>
public static class CsvParser
{
    private static readonly char[] Delimiters = [',', ';', '\t', '|'];

    public static ParsedDocument Parse(string text)
    {
        var delimiter = GuessDelimiter(text) ?? ',';
        var rows = new StringBuilder();
        foreach (var record in Records(text, delimiter))
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
        }
        return null;
    }

    private static IEnumerable<List<string>> Records(string text, char delimiter)
    {
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == delimiter)
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                yield return record;
                record = [];
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            yield return record;
        }
    }
}
