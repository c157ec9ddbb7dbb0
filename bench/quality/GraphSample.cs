using Platform.Data;
using Platform.Search.Graph;
using Platform.Workers.Ai.Graph;

namespace Platform.Bench.Quality;

/// <summary>
/// The knowledge graph on the corpus: runs the rule-based extractor on every document as the extract-graph consumer does,
/// counts entities, lists each document's top entities (by chunks mentioning them, as GET /documents/{id}/entities ranks),
/// and writes 100 (entity, document) pairs drawn with a fixed seed, for labelling by hand (graph-precision.sh scores them).
/// </summary>
public static class GraphSample
{
    public const int Seed = 22;
    public const int Size = 100;

    public static async Task RunAsync(Corpus corpus, ChunkStore chunks, IGraphExtractor extractor, string outFile, string label)
    {
        var pairs = new List<(string Name, string Key, string File, int Chunks)>();
        foreach (var (file, id) in corpus.ByFile.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var graph = await extractor.ExtractAsync(await chunks.ListByDocumentAsync(id));
            var top = graph.SelectMany(g => g.Entities.DistinctBy(e => e.Key)).GroupBy(e => e.Key)
                .Select(g => (g.First().Name, g.Key, File: file, Chunks: g.Count()))
                .OrderByDescending(e => e.Chunks).ThenBy(e => e.Key, StringComparer.Ordinal).ToList();
            pairs.AddRange(top);
            Console.WriteLine($"{file}: {top.Count} entities; top 30: {string.Join(", ", top.Take(30).Select(e => $"{e.Name} ({e.Chunks})"))}");
            var nginx = top.FindIndex(e => e.Key == "nginx");
            if (nginx >= 0)
            {
                Console.WriteLine($"  nginx: rank {nginx + 1} of {top.Count}, in {top[nginx].Chunks} chunks");
            }
        }
        var distinct = pairs.Select(p => p.Key).Distinct().Count();
        Console.WriteLine($"## graph {label}: {distinct} distinct entities in the tenant, {pairs.Count} (entity, document) pairs, " +
            $"{corpus.ByFile.Count} documents");

        // Ordinal order first, so the same seed draws the same pairs from the same extraction on any machine.
        var ordered = pairs.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Key, StringComparer.Ordinal).ToArray();
        new Random(Seed).Shuffle(ordered);
        var lines = ordered.Take(Size).Select(p => $"{Clean(p.Name)}\t{p.File}\t{p.Chunks}\t");
        await File.WriteAllLinesAsync(outFile, ["entity\tdocument\tchunks\tlabel", .. lines]);
        Console.WriteLine($"Wrote {Math.Min(Size, ordered.Length)} sampled pairs to {outFile} (label column empty: fill in entity or noise)");
    }

    private static string Clean(string name) => name.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
}
