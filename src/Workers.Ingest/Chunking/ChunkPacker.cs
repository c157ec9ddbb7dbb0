using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Workers.Ingest.Parsing;

namespace Platform.Workers.Ingest.Chunking;

/// <summary>
/// Packs sections into chunks of at most <see cref="IngestOptions.MaxChunkChars"/>: sentences stay whole, a chunk
/// never spans two heading paths, and a following chunk repeats up to <see cref="IngestOptions.OverlapChars"/> of the
/// previous one's last sentences. Table rows are never split and each table chunk starts with the header row.
/// Table chunks are kept to a third of that size: a row is a fact of its own, and in a long chunk of rows its rare words lose
/// to prose in keyword ranking (bench/quality: CSV, XLSX and JSON rows fell out of the top 10).
/// A sentence the document repeats is packed once (<see cref="RepeatedSentences"/>).
/// Offsets are into the document text: the sections joined by blank lines.
/// </summary>
public sealed class ChunkPacker(IOptions<IngestOptions> options)
{
    private const string SectionGap = "\n\n";

    private sealed record Unit(int Section, int Start, int End, bool IsTableRow);

    public IReadOnlyList<Chunk> Pack(IReadOnlyList<Section> sections)
    {
        var max = options.Value.MaxChunkChars;
        var overlap = options.Value.OverlapChars;
        var offsets = new int[sections.Count];
        for (int i = 0, offset = 0; i < sections.Count; offset += sections[i].Text.Length + SectionGap.Length, i++)
        {
            offsets[i] = offset;
        }

        var chunks = new List<Chunk>();
        var current = new List<Unit>();
        var length = 0;
        string? header = null;

        void Flush(bool keepOverlap)
        {
            if (current.Count == 0)
            {
                return;
            }
            chunks.Add(Build(chunks.Count, sections, offsets, current, header));
            var carried = new List<Unit>();
            if (keepOverlap && !current[^1].IsTableRow)
            {
                var carriedLength = 0;
                for (var i = current.Count - 1; i > 0; i--)
                {
                    var unitLength = current[i].End - current[i].Start;
                    if (carriedLength + unitLength > overlap)
                    {
                        break;
                    }
                    carried.Insert(0, current[i]);
                    carriedLength += unitLength + 1;
                }
            }
            current = carried;
            length = carried.Sum(u => u.End - u.Start + 1);
        }

        var unitsOf = sections.Select((section, s) => section.Kind == SectionKind.Table ? TableRows(section.Text, s) : Sentences(section.Text, s, max)).ToList();
        var prose = unitsOf.SelectMany(u => u).Where(u => !u.IsTableRow).ToList();
        var copies = RepeatedSentences.LaterCopies(prose.Select(u => sections[u.Section].Text[u.Start..u.End]).ToList());
        var laterCopies = prose.Where((_, i) => copies[i]).ToHashSet();
        for (var s = 0; s < sections.Count; s++)
        {
            var section = sections[s];
            var previous = s > 0 ? sections[s - 1] : null;
            var isTable = section.Kind == SectionKind.Table;
            if (previous is not null && (previous.HeadingPath != section.HeadingPath || isTable || previous.Kind == SectionKind.Table))
            {
                Flush(keepOverlap: false);
            }
            header = null;
            var units = unitsOf[s].Where(u => !laterCopies.Contains(u)).ToList();
            if (isTable && units.Count > 0)
            {
                header = section.Text[units[0].Start..units[0].End];
            }
            foreach (var unit in units)
            {
                var unitLength = unit.End - unit.Start + 1;
                if (current.Count > 0 && length + unitLength > (isTable ? TableChunkChars(max) : max))
                {
                    Flush(keepOverlap: true);
                }
                if (isTable && current.Count == 0 && header is not null && unit.Start != units[0].Start)
                {
                    length += header.Length + 1; // the repeated header counts toward the size
                }
                current.Add(unit);
                length += unitLength;
            }
        }
        Flush(keepOverlap: false);
        return chunks;
    }

    private static int TableChunkChars(int max) => Math.Max(200, max / 3);

    private static List<Unit> Sentences(string text, int section, int max) =>
        SentenceSplitter.Split(text, max).Select(s => new Unit(section, s.Start, s.End, false)).ToList();

    private static List<Unit> TableRows(string text, int section)
    {
        var rows = new List<Unit>();
        var start = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length > 0)
            {
                rows.Add(new Unit(section, start, start + line.Length, true));
            }
            start += line.Length + 1;
        }
        return rows;
    }

    private static Chunk Build(int ordinal, IReadOnlyList<Section> sections, int[] offsets, List<Unit> units, string? header)
    {
        var content = new StringBuilder();
        var first = units[0];
        if (first.IsTableRow && header is not null && sections[first.Section].Text[first.Start..first.End] != header)
        {
            content.Append(header).Append('\n');
        }
        var runStart = first;
        for (var i = 0; i < units.Count; i++)
        {
            var last = i == units.Count - 1 || units[i + 1].Section != units[i].Section;
            if (!last)
            {
                continue;
            }
            content.Append(sections[runStart.Section].Text.AsSpan(runStart.Start, units[i].End - runStart.Start));
            if (i < units.Count - 1)
            {
                content.Append(SectionGap);
                runStart = units[i + 1];
            }
        }
        var text = content.ToString();
        var pages = units.Select(u => sections[u.Section].Page).ToList();
        var headingPath = sections[first.Section].HeadingPath;
        return new Chunk
        {
            Ordinal = ordinal,
            PageStart = pages.Min(),
            PageEnd = pages.Max(),
            HeadingPath = headingPath,
            Kind = sections[first.Section].Kind.ToString().ToLowerInvariant(),
            CharStart = offsets[first.Section] + first.Start,
            CharEnd = offsets[units[^1].Section] + units[^1].End,
            Content = text,
            ContentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
            SearchText = TextTokenizer.ToSearchText(headingPath + "\n" + text),
        };
    }
}
