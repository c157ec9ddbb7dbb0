using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Infrastructure;
using Platform.Infrastructure.Data;
using Platform.Infrastructure.Search;

// bench/ai: hybrid search latency at 10k and 100k chunks (SQLite FTS5 + in-process exact vectors, 384 dimensions), the exact
// vector scan against a sequential pass over the same array (the memory-bandwidth bound), and built-in embedder throughput.
// Usage: dotnet run -c Release --project bench/ai -- [--sizes 10000,100000] [--queries 300]
var sizes = Arg("--sizes", "10000,100000").Split(',').Select(int.Parse).ToArray();
var queryCount = int.Parse(Arg("--queries", "300"), CultureInfo.InvariantCulture);
const int Dimensions = 384;
const int ChunksPerDocument = 200;

Console.WriteLine($"# bench/ai — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, " +
    $"SIMD {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "512" : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "256" : "128")}-bit");
var embedder = new BuiltInEmbedder(Options.Create(new EmbeddingOptions { Dimensions = Dimensions }));
var corpus = new Corpus(seed: 42);

// 1. Built-in embedder throughput (one thread).
{
    var texts = Enumerable.Range(0, 5000).Select(corpus.Chunk).ToList();
    embedder.EmbedAsync(texts.Take(200).ToList()).GetAwaiter().GetResult(); // warm-up
    var sw = Stopwatch.StartNew();
    _ = embedder.EmbedAsync(texts).GetAwaiter().GetResult();
    sw.Stop();
    var chars = texts.Sum(t => (long)t.Length);
    Console.WriteLine($"\n## Built-in embedder ({Dimensions} dims, one thread)\n");
    Console.WriteLine($"{texts.Count / sw.Elapsed.TotalSeconds:N0} chunks/s, {chars / sw.Elapsed.TotalSeconds / 1e6:F1} M chars/s " +
        $"(average chunk {chars / texts.Count} chars, 10 % Chinese)");
}

Console.WriteLine("\n## Hybrid search latency (SQLite FTS5 + in-process exact vectors, top 10, RRF over 50 + 50 candidates)\n");
Console.WriteLine("| chunks | hybrid p50 | hybrid p99 | keyword p50 | vector p50 (incl. embed + fingerprint) | index build |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
var scanRows = new List<string>();
foreach (var size in sizes)
{
    var dir = Directory.CreateTempSubdirectory("platform-bench-ai-").FullName;
    try
    {
        await using var db = new Db(Options.Create(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(dir, "bench.db")}" }));
        await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        var chunks = new ChunkStore(db, TimeProvider.System);
        var build = Stopwatch.StartNew();
        var matrix = new float[size * Dimensions];
        for (var start = 0; start < size; start += ChunksPerDocument)
        {
            var documentId = Guid.CreateVersion7();
            var rows = Enumerable.Range(start, Math.Min(ChunksPerDocument, size - start)).Select(i =>
            {
                var text = corpus.Chunk(i);
                return new Chunk
                {
                    TenantId = "bench", DocumentId = documentId, Ordinal = i - start, PageStart = 1, PageEnd = 1, HeadingPath = "", Kind = "text",
                    CharStart = 0, CharEnd = text.Length, Content = text, SearchText = TextTokenizer.ToSearchText(text),
                    ContentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
                };
            }).ToList();
            var stored = await chunks.ReplaceAsync("bench", documentId, rows);
            var vectors = await embedder.EmbedAsync(stored.Select(c => c.Content).ToList());
            await chunks.SetEmbeddingsAsync(stored.Select((c, i) => (c.Id, vectors[i])).ToList(), embedder.Model);
            for (var i = 0; i < vectors.Length; i++)
            {
                vectors[i].CopyTo(matrix, (start + i) * Dimensions);
            }
        }
        build.Stop();

        var index = new SqlSearchIndex(chunks, new VectorIndex(chunks, db, embedder));
        var search = new HybridSearch(chunks, index, embedder, new DocumentTags(db));
        var queries = Enumerable.Range(0, queryCount).Select(corpus.Query).ToList();
        // One untimed pass over all queries: loads the tenant's vectors and warms SQLite's page cache, so no mode is timed cold.
        foreach (var q in queries)
        {
            await search.SearchAsync(new SearchRequest("bench", q));
        }
        var hybrid = await TimeAsync(queries, q => search.SearchAsync(new SearchRequest("bench", q, SearchMode.Hybrid, 10)));
        var keyword = await TimeAsync(queries, q => search.SearchAsync(new SearchRequest("bench", q, SearchMode.Keyword, 10)));
        var vector = await TimeAsync(queries, q => search.SearchAsync(new SearchRequest("bench", q, SearchMode.Vector, 10)));
        Console.WriteLine($"| {size:N0} | {P(hybrid, 50):F2} ms | {P(hybrid, 99):F2} ms | {P(keyword, 50):F2} ms | {P(vector, 50):F2} ms | {build.Elapsed.TotalSeconds:F0} s |");

        // Exact scan vs a sequential sum over the same array, in the same run.
        var query = embedder.Embed(queries[0]);
        var bytes = (double)matrix.Length * sizeof(float);
        var reps = Math.Max(20, 2_000_000 / size);
        float sink = 0;
        for (var i = 0; i < 5; i++)
        {
            sink += SequentialSum(matrix) + ExactScan.TopK(matrix, Dimensions, query, 50)[0].Score;
        }
        var sum = Stopwatch.StartNew();
        for (var i = 0; i < reps; i++)
        {
            sink += SequentialSum(matrix);
        }
        sum.Stop();
        var scan = Stopwatch.StartNew();
        for (var i = 0; i < reps; i++)
        {
            sink += ExactScan.TopK(matrix, Dimensions, query, 50)[0].Score;
        }
        scan.Stop();
        var sumMs = sum.Elapsed.TotalMilliseconds / reps;
        var scanMs = scan.Elapsed.TotalMilliseconds / reps;
        scanRows.Add($"| {size:N0} | {bytes / 1e6:F0} MB | {scanMs:F2} ms ({bytes / scanMs / 1e6:F1} GB/s) | {sumMs:F2} ms ({bytes / sumMs / 1e6:F1} GB/s) | {sumMs / scanMs:P0} |");
        GC.KeepAlive(sink);
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }
}

Console.WriteLine($"\n## Exact vector scan vs the memory-bandwidth bound ({Dimensions} dims, top 50, one thread)\n");
Console.WriteLine("| chunks | matrix | exact scan | sequential sum (bound) | scan / bound |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: |");
scanRows.ForEach(Console.WriteLine);
return;

static async Task<List<double>> TimeAsync(List<string> queries, Func<string, Task> run)
{
    var times = new List<double>(queries.Count);
    foreach (var q in queries)
    {
        var sw = Stopwatch.StartNew();
        await run(q);
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    return times;
}

// The bound: read every float once, with four independent SIMD accumulators so the adds never wait on each other.
static float SequentialSum(float[] data)
{
    var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(data.AsSpan());
    System.Numerics.Vector<float> a = default, b = default, c = default, d = default;
    var i = 0;
    for (; i + 4 <= vectors.Length; i += 4)
    {
        a += vectors[i];
        b += vectors[i + 1];
        c += vectors[i + 2];
        d += vectors[i + 3];
    }
    for (; i < vectors.Length; i++)
    {
        a += vectors[i];
    }
    return System.Numerics.Vector.Sum(a + b + c + d);
}

static double P(List<double> sorted, int percentile) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

/// <summary>A deterministic synthetic corpus: Zipf-distributed pseudo-words, one chunk in ten Chinese.</summary>
sealed class Corpus
{
    private readonly string[] _words;
    private readonly char[] _hanzi;
    private readonly double[] _cumulative;
    private readonly int _seed;

    public Corpus(int seed)
    {
        _seed = seed;
        var random = new Random(seed);
        _words = Enumerable.Range(0, 20000).Select(_ => new string(Enumerable.Range(0, random.Next(3, 10)).Select(_ => (char)('a' + random.Next(26))).ToArray())).ToArray();
        _hanzi = Enumerable.Range(0, 3000).Select(i => (char)(0x4E00 + i * 5)).ToArray();
        // Zipf from rank 200 on: the tokenizer drops stop words, so the words an index sees are content words, the most
        // common of which still occurs in a few percent of chunks (not in nearly all of them, as "the" would).
        var weights = Enumerable.Range(200, _words.Length).Select(r => 1.0 / r).ToArray();
        var total = weights.Sum();
        _cumulative = new double[weights.Length];
        double acc = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            acc += weights[i] / total;
            _cumulative[i] = acc;
        }
    }

    public string Chunk(int i)
    {
        var random = new Random(HashCode.Combine(_seed, i));
        if (i % 10 == 7)
        {
            return new string(Enumerable.Range(0, 150).Select(_ => _hanzi[(int)(Math.Pow(random.NextDouble(), 2) * _hanzi.Length)]).ToArray());
        }
        return string.Join(' ', Enumerable.Range(0, 80).Select(_ => Word(random)));
    }

    public string Query(int i)
    {
        var random = new Random(HashCode.Combine(_seed, -i - 1));
        var source = Chunk(random.Next(0, 10000));
        if (source.Contains(' '))
        {
            var words = source.Split(' ');
            var at = random.Next(0, words.Length - 4);
            return string.Join(' ', words.Skip(at).Take(random.Next(2, 5)));
        }
        var start = random.Next(0, source.Length - 6);
        return source.Substring(start, random.Next(3, 7));
    }

    private string Word(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble());
        return _words[Math.Min(_words.Length - 1, index < 0 ? ~index : index)];
    }
}
