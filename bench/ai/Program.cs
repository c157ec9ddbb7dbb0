using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Search;
using Platform.ServiceDefaults;

// bench/ai: hybrid search latency at 10k and 100k chunks (SQLite FTS5 + in-process vectors, 384 dimensions), the default stack
// against the previous one (bm25 over every OR match, exact float32 scan on one thread) in the same run, with the share of
// results the new one keeps; the exact vector scan against a sequential pass over the same array (the memory-bandwidth bound);
// and built-in embedder throughput.
// Usage: dotnet run -c Release --project bench/ai -- [--sizes 10000,100000] [--queries 300] [--db-dir DIR (keep and reuse the databases)]
//        [--postgres ADMIN-CONNECTION-STRING: PostgreSQL instead: hybrid latency, keyword bm25 against the ts_rank_cd query it replaced]
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

if (Arg("--postgres", "") is { Length: > 0 } postgres)
{
    await PostgresAsync(postgres);
    return;
}

var threads = Environment.ProcessorCount;
var newOptions = new SearchOptions { KeywordRankBudget = int.Parse(Arg("--keyword-budget", "4000")) }; // the defaults: int8 + float32 re-score, one scan thread per core, keyword rank budget
var oldVectorOptions = new SearchOptions { VectorPrecision = "Float32", ScanThreads = 1 };
Console.WriteLine($"\nLoad average at start: {LoadAverage()}");
var hybridRows = new List<string>();
var keywordRows = new List<string>();
var vectorRows = new List<string>();
var scanRows = new List<string>();
foreach (var size in sizes)
{
    var keepDir = Arg("--db-dir", "");
    var dir = keepDir != "" ? Directory.CreateDirectory(Path.Combine(keepDir, size.ToString(CultureInfo.InvariantCulture))).FullName
        : Directory.CreateTempSubdirectory("platform-bench-ai-").FullName;
    try
    {
        var dbPath = Path.Combine(dir, "bench.db");
        var reuse = File.Exists(dbPath);
        await using var db = new Db(Options.Create(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={dbPath}" }));
        await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        var chunks = new ChunkStore(db, TimeProvider.System);
        var build = Stopwatch.StartNew();
        if (!reuse)
        {
            await BuildAsync(chunks, size);
        }
        build.Stop();
        var matrix = (await chunks.LoadVectorsAsync("bench", embedder.Model, since: null)).SelectMany(r => r.Vector).ToArray();

        var search = new HybridSearch(chunks, new SqlSearchIndex(chunks, new VectorIndex(chunks, db, embedder, options: Options.Create(newOptions)),
            Options.Create(newOptions)), embedder, new DocumentTags(db), new DocumentStore(db, TimeProvider.System));
        var oldIndex = new OldIndex(db, new VectorIndex(chunks, db, embedder, options: Options.Create(oldVectorOptions)));
        var oldSearch = new HybridSearch(chunks, oldIndex, embedder, new DocumentTags(db), new DocumentStore(db, TimeProvider.System));
        var newIndex = new SqlSearchIndex(chunks, new VectorIndex(chunks, db, embedder, options: Options.Create(newOptions)), Options.Create(newOptions));
        var queries = Enumerable.Range(0, queryCount).Select(corpus.Query).ToList();
        // One untimed pass over all queries per stack: loads the tenant's vectors and warms SQLite's page cache.
        foreach (var q in queries)
        {
            await search.SearchAsync(new SearchRequest("bench", q));
            await oldSearch.SearchAsync(new SearchRequest("bench", q));
            await newIndex.KeywordAsync("bench", TextTokenizer.Tokenize(q), null, 50);
        }

        // Hybrid, new and old stack timed alternately query by query, so a change in machine load hits both alike.
        var (hybridNew, hybridOld, overlap) = (new List<double>(), new List<double>(), 0.0);
        for (var i = 0; i < queries.Count; i++)
        {
            var request = new SearchRequest("bench", queries[i], SearchMode.Hybrid, 10);
            var (a, b) = i % 2 == 0
                ? (await TimeOneAsync(() => search.SearchAsync(request)), await TimeOneAsync(() => oldSearch.SearchAsync(request)))
                : Swap(await TimeOneAsync(() => oldSearch.SearchAsync(request)), await TimeOneAsync(() => search.SearchAsync(request)));
            hybridNew.Add(a.Ms);
            hybridOld.Add(b.Ms);
            overlap += Overlap(a.Result.Select(h => h.ChunkId), b.Result.Select(h => h.ChunkId), 10);
        }
        hybridRows.Add($"| {size:N0} | {P(hybridNew, 50):F2} ms | **{P(hybridNew, 99):F2} ms** | {P(hybridOld, 50):F2} ms | {P(hybridOld, 99):F2} ms | " +
            $"{P(hybridOld, 50) / P(hybridNew, 50):F1}× / {P(hybridOld, 99) / P(hybridNew, 99):F1}× | {overlap / queries.Count:P1} | {build.Elapsed.TotalSeconds:F0} s{(reuse ? " (reused)" : "")} |");

        // Keyword candidates alone (50, as hybrid asks): new (rank budget) against the old query (bm25 over every OR match).
        var (keywordNew, keywordOld, kRecall50, kRecall10, rescored) = (new List<double>(), new List<double>(), 0.0, 0.0, 0);
        for (var i = 0; i < queries.Count; i++)
        {
            var tokens = TextTokenizer.Tokenize(queries[i]);
            var (a, b) = i % 2 == 0
                ? (await TimeOneAsync(() => newIndex.KeywordAsync("bench", tokens, null, 50)), await TimeOneAsync(() => oldIndex.KeywordAsync("bench", tokens, null, 50)))
                : Swap(await TimeOneAsync(() => oldIndex.KeywordAsync("bench", tokens, null, 50)), await TimeOneAsync(() => newIndex.KeywordAsync("bench", tokens, null, 50)));
            keywordNew.Add(a.Ms);
            keywordOld.Add(b.Ms);
            kRecall50 += Overlap(a.Result.Select(h => h.ChunkId), b.Result.Select(h => h.ChunkId), 50);
            kRecall10 += Overlap(a.Result.Take(10).Select(h => h.ChunkId), b.Result.Take(10).Select(h => h.ChunkId), 10);
            rescored += await oldIndex.TermRowsAsync(tokens) > newOptions.KeywordRankBudget ? 1 : 0;
        }
        keywordRows.Add($"| {size:N0} | {P(keywordNew, 50):F2} / {P(keywordNew, 99):F2} ms | {P(keywordOld, 50):F2} / {P(keywordOld, 99):F2} ms | " +
            $"{P(keywordOld, 50) / P(keywordNew, 50):F1}× / {P(keywordOld, 99) / P(keywordNew, 99):F1}× | {kRecall10 / queries.Count:P1} | {kRecall50 / queries.Count:P1} | {(double)rescored / queries.Count:P0} |");

        // Vector scan alone (top 50): int8 + float32 re-score of 200 on every core, against the exact float32 scan on one thread.
        var int8 = new Int8Matrix(matrix, Dimensions);
        var (scanNew, scanOld, vRecall50, vRecall10) = (new List<double>(), new List<double>(), 0.0, 0.0);
        var queryVectors = queries.Select(embedder.Embed).ToList();
        for (var i = 0; i < queryVectors.Count; i++)
        {
            var q = queryVectors[i];
            var sw = Stopwatch.StartNew();
            var exact = ExactScan.TopK(matrix, Dimensions, q, 50);
            scanOld.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            var fast = ExactScan.Rescore(matrix, Dimensions, q, int8.TopK(q, newOptions.VectorRescoreCandidates, threads: threads).Select(c => c.Row), 50);
            scanNew.Add(sw.Elapsed.TotalMilliseconds);
            vRecall50 += Overlap(fast.Select(r => r.Row), exact.Select(r => r.Row), 50);
            vRecall10 += Overlap(fast.Take(10).Select(r => r.Row), exact.Take(10).Select(r => r.Row), 10);
        }
        scanNew.Sort();
        scanOld.Sort();
        vectorRows.Add($"| {size:N0} | {P(scanNew, 50):F2} / {P(scanNew, 99):F2} ms | {P(scanOld, 50):F2} / {P(scanOld, 99):F2} ms | " +
            $"{P(scanOld, 50) / P(scanNew, 50):F1}× | {vRecall10 / queries.Count:P2} | {vRecall50 / queries.Count:P2} |");

        // Exact scan vs a sequential sum over the same array, in the same run.
        var query = queryVectors[0];
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
        var int8Scan = Stopwatch.StartNew();
        for (var i = 0; i < reps; i++)
        {
            sink += int8.TopK(query, 200)[0].Score;
        }
        int8Scan.Stop();
        var sumMs = sum.Elapsed.TotalMilliseconds / reps;
        var scanMs = scan.Elapsed.TotalMilliseconds / reps;
        var int8Ms = int8Scan.Elapsed.TotalMilliseconds / reps;
        scanRows.Add($"| {size:N0} | {bytes / 1e6:F0} MB | {scanMs:F2} ms ({bytes / scanMs / 1e6:F1} GB/s) | {sumMs:F2} ms ({bytes / sumMs / 1e6:F1} GB/s) | " +
            $"{sumMs / scanMs:P0} | {int8.Bytes / 1e6:F0} MB, {int8Ms:F2} ms ({int8.Bytes / int8Ms / 1e6:F1} GB/s) |");
        GC.KeepAlive(sink);
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (keepDir == "")
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

Console.WriteLine($"\n## Hybrid search (SQLite FTS5 + in-process vectors, top 10, RRF over 50 + 50 candidates; new and old stack alternately)\n");
Console.WriteLine("| chunks | new p50 | new p99 | old p50 | old p99 | old / new (p50 / p99) | top-10 same as old | index build |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
hybridRows.ForEach(Console.WriteLine);
Console.WriteLine($"\n## Keyword candidates (50): rank budget {newOptions.KeywordRankBudget} vs bm25 over every OR match\n");
Console.WriteLine("| chunks | new p50 / p99 | old p50 / p99 | old / new (p50 / p99) | top 10 same as old | top 50 same as old | queries over budget |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
keywordRows.ForEach(Console.WriteLine);
Console.WriteLine($"\n## Vector candidates (50): int8 scan on {threads} threads + float32 re-score of {newOptions.VectorRescoreCandidates} vs exact float32 scan on one thread\n");
Console.WriteLine("| chunks | new p50 / p99 | old p50 / p99 | old / new (p50) | recall@10 vs exact | recall@50 vs exact |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
vectorRows.ForEach(Console.WriteLine);
Console.WriteLine($"\n## Exact vector scan vs the memory-bandwidth bound ({Dimensions} dims, top 50, one thread), and the int8 scan (top 200, one thread)\n");
Console.WriteLine("| chunks | matrix | exact scan | sequential sum (bound) | scan / bound | int8 copy, scan |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
scanRows.ForEach(Console.WriteLine);
Console.WriteLine($"\nLoad average at end: {LoadAverage()}");
return;

// PostgreSQL (the deployed database): hybrid search, and keyword candidates by bm25 (PostgresKeywordRanking) against the
// ts_rank_cd query it replaced, timed alternately query by query. Each size gets a database of its own, dropped after.
async Task PostgresAsync(string admin)
{
    Console.WriteLine($"\nLoad average at start: {LoadAverage()}");
    var rows = new List<string>();
    foreach (var size in sizes)
    {
        var name = $"bench_ai_{Guid.NewGuid():N}";
        await PgExecuteAsync(admin, $"CREATE DATABASE {name}");
        try
        {
            var connection = new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
            await using var db = new Db(Options.Create(new DatabaseOptions { Provider = "PostgreSql", ConnectionString = connection }));
            await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
            var chunks = new ChunkStore(db, TimeProvider.System);
            var build = Stopwatch.StartNew();
            await BuildAsync(chunks, size);
            await db.ExecuteAsync("VACUUM ANALYZE chunks");
            build.Stop();
            var options = Options.Create(new SearchOptions());
            var index = new SqlSearchIndex(chunks, new VectorIndex(chunks, db, embedder, options: options), options);
            var search = new HybridSearch(chunks, index, embedder, new DocumentTags(db), new DocumentStore(db, TimeProvider.System), options);
            var queries = Enumerable.Range(0, queryCount).Select(corpus.Query).ToList();
            foreach (var q in queries)
            {
                await search.SearchAsync(new SearchRequest("bench", q)); // untimed: loads the vectors, warms the caches
            }
            var (hybrid, keywordNew, keywordOld) = (new List<double>(), new List<double>(), new List<double>());
            for (var i = 0; i < queries.Count; i++)
            {
                var tokens = TextTokenizer.TokenizeQuery(queries[i]);
                var request = new SearchRequest("bench", queries[i]);
                hybrid.Add((await TimeOneAsync(() => search.SearchAsync(request))).Ms);
                var (a, b) = i % 2 == 0
                    ? (await TimeOneAsync(() => index.KeywordAsync("bench", tokens, null, 50)), await TimeOneAsync(() => TsRankAsync(db, tokens)))
                    : Swap(await TimeOneAsync(() => TsRankAsync(db, tokens)), await TimeOneAsync(() => index.KeywordAsync("bench", tokens, null, 50)));
                keywordNew.Add(a.Ms);
                keywordOld.Add(b.Ms);
            }
            rows.Add($"| {size:N0} | {P(hybrid, 50):F2} / **{P(hybrid, 99):F2} ms** | {P(keywordNew, 50):F2} / {P(keywordNew, 99):F2} ms | " +
                $"{P(keywordOld, 50):F2} / {P(keywordOld, 99):F2} ms | {build.Elapsed.TotalSeconds:F0} s |");
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await PgExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }
    Console.WriteLine("\n## PostgreSQL: hybrid search, and keyword candidates (50) by bm25 vs ts_rank_cd, alternately\n");
    Console.WriteLine("| chunks | hybrid p50 / p99 | keyword bm25 p50 / p99 | keyword ts_rank_cd p50 / p99 | build |");
    Console.WriteLine("| ---: | ---: | ---: | ---: | ---: |");
    rows.ForEach(Console.WriteLine);
    Console.WriteLine($"\nLoad average at end: {LoadAverage()}");
}

static async Task<IReadOnlyList<(Guid ChunkId, double Score)>> TsRankAsync(Db db, IReadOnlyList<string> tokens) =>
    await db.QueryAsync<(Guid ChunkId, double Score)>(
        "SELECT id AS ChunkId, ts_rank_cd(search_tsv, q)::float8 AS Score FROM chunks, to_tsquery('simple', @query) q " +
        "WHERE tenant_id = 'bench' AND search_tsv @@ q ORDER BY Score DESC LIMIT 50",
        new { query = string.Join(" | ", tokens.Distinct().Select(t => "'" + t.Replace("'", "''").Replace("\\", "\\\\") + "'")) });

static async Task PgExecuteAsync(string connectionString, string sql)
{
    await using var connection = new Npgsql.NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new Npgsql.NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

async Task BuildAsync(ChunkStore chunks, int size)
{
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
    }
}

static async Task<(double Ms, T Result)> TimeOneAsync<T>(Func<Task<T>> run)
{
    var sw = Stopwatch.StartNew();
    var result = await run();
    return (sw.Elapsed.TotalMilliseconds, result);
}

static ((double Ms, T Result), (double Ms, T Result)) Swap<T>((double Ms, T Result) first, (double Ms, T Result) second) => (second, first);

// |a ∩ b| / n: the share of the reference's first n that the other list also returned.
static double Overlap<T>(IEnumerable<T> a, IEnumerable<T> reference, int n)
{
    var wanted = reference.Take(n).ToHashSet();
    return wanted.Count == 0 ? 1 : (double)a.Take(n).Count(wanted.Contains) / wanted.Count;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

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

static double P(List<double> times, int percentile)
{
    var sorted = times.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}

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
