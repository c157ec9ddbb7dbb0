using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Bench.Quality;
using Platform.Data;
using Platform.Search;
using Platform.Search.Onnx;
using Platform.Workers.Ai.Answers;
using Platform.Workers.Ai.Graph;
using Platform.Workers.Ingest;
using Platform.Workers.Ingest.Chunking;
using Platform.Workers.Ingest.Parsing;

// bench/quality: search and answer quality on real documents (bench/quality/run.sh fetches them). Per search mode: hit@1,
// hit@3, MRR@10 over the answerable questions (a hit is a chunk of the right file, on the right page when one is given,
// containing the labelled passage string); for extractive answers: the fact present, a citation of the right file and page,
// "not found" (in the question's language) for the unanswerable ones; latency.
// Usage: dotnet run -c Release --project bench/quality -- --corpus DIR [--questions FILE] [--label TEXT] [--details FILE]
//        [--graph-sample FILE]: the knowledge graph instead (entity counts, top entities, 100 pairs to label by hand)
//        [--embedder BuiltIn|MiniLM|ArcticXs] [--blend SHARE: the built-in embedder's share beside a local model, default 0.5]
//        [--explain ID,ID…: only those questions, with the passages retrieved and the sentences the answerer weighed]
//        [--postgres ADMIN-CONNECTION-STRING: PostgreSQL (a database of its own, dropped after) instead of a SQLite file]
//        [--proximity-weight W: keyword's re-ordering by query words found together, 0 = off; default SearchOptions']
//        [--chunks-containing TEXT: the chunks whose text contains TEXT, with page, heading path and indexed text]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance); // as the ingest worker does at start-up
var corpusDir = Arg("--corpus", "");
var questions = Question.Load(Arg("--questions", Path.Combine(AppContext.BaseDirectory, "questions.json")));
var label = Arg("--label", "current");
var details = Arg("--details", "");
var graphSample = Arg("--graph-sample", ""); // knowledge graph only: counts, top entities and the labelling sample

var dir = Directory.CreateTempSubdirectory("platform-quality-").FullName;
var postgres = Arg("--postgres", ""); // an admin connection string: the run gets a database of its own, dropped at the end
var postgresDatabase = $"quality_{Guid.NewGuid():N}";
if (postgres != "")
{
    await ExecuteAsync(postgres, $"CREATE DATABASE {postgresDatabase}");
}
try
{
    await using var db = new Db(Options.Create(postgres != ""
        ? new DatabaseOptions { Provider = "PostgreSql", ConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = postgresDatabase }.ConnectionString }
        : new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(dir, "q.db")}" }));
    Console.Error.WriteLine($"Database: {db.Provider}");
    await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
    var documents = new DocumentStore(db, TimeProvider.System);
    var chunks = new ChunkStore(db, TimeProvider.System);
    var builtIn = new BuiltInEmbedder(Options.Create(new EmbeddingOptions()));
    var blend = double.Parse(Arg("--blend", "0.5"), CultureInfo.InvariantCulture);
    using var local = new OnnxEmbedders();
    IEmbedder embedder = Arg("--embedder", "BuiltIn") switch
    {
        "BuiltIn" => builtIn,
        var model when blend > 0 => new BlendedEmbedder(local.Create(model), builtIn, 1 - blend),
        var model => local.Create(model),
    };
    Console.Error.WriteLine($"Embedder: {embedder.Model}");
    var searchOptions = Options.Create(new SearchOptions
    {
        ProximityWeight = double.Parse(Arg("--proximity-weight", new SearchOptions().ProximityWeight.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
    });
    var vectorIndex = new VectorIndex(chunks, db, embedder, options: searchOptions);
    var search = new HybridSearch(chunks, new SqlSearchIndex(chunks, vectorIndex, searchOptions), embedder, new DocumentTags(db), documents, searchOptions);
    var ingest = Options.Create(new IngestOptions { TempDirectory = dir, OcrEnabled = false });
    var corpus = new Corpus(new DocumentParser(ingest), new ChunkPacker(ingest), documents, chunks, embedder, vectorIndex);

    var ingestClock = Stopwatch.StartNew();
    var chunkCount = await corpus.IngestAsync(corpusDir);
    Console.Error.WriteLine($"Ingested {corpus.ByFile.Count} files, {chunkCount} chunks in {ingestClock.Elapsed.TotalSeconds:F1} s");
    var missing = questions.Where(q => q.File is not null && !corpus.ByFile.ContainsKey(q.File)).Select(q => q.File).Distinct().ToList();
    if (missing.Count > 0)
    {
        throw new InvalidOperationException("Questions name files the corpus lacks: " + string.Join(", ", missing));
    }
    if (graphSample != "")
    {
        if (Arg("--graph-extra", "") is { Length: > 0 } extra)
        {
            await corpus.IngestAsync(extra);
        }
        await GraphSample.RunAsync(corpus, chunks, new RuleBasedGraphExtractor(Options.Create(new Platform.Search.Graph.GraphOptions())), graphSample, label);
        return;
    }

    if (Arg("--chunks-containing", "") is { Length: > 0 } needle)
    {
        await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir, "q.db")}");
        await sqlite.OpenAsync();
        var find = sqlite.CreateCommand();
        find.CommandText = "SELECT ordinal, page_start, heading_path, search_text FROM chunks WHERE content LIKE '%' || $needle || '%'";
        find.Parameters.AddWithValue("$needle", needle);
        await using var rows = await find.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            Console.WriteLine($"#{rows.GetInt32(0)} p{rows.GetInt32(1)} [{(rows.IsDBNull(2) ? "" : rows.GetString(2))}]\n  {rows.GetString(3)}");
        }
        return;
    }

    var evaluation = new Evaluation(corpus, search, new ExtractiveAnswerer(new Retrieval(search)));
    if (Arg("--explain", "") is { Length: > 0 } explain)
    {
        await evaluation.ExplainAsync(new Retrieval(search), questions.Where(q => explain.Split(',').Contains(q.Id)).ToList());
        return;
    }
    await evaluation.WarmUpAsync(questions);
    var report = await evaluation.RunAsync(questions);
    report.Print(label, questions, corpus.ByFile.Count, chunkCount);
    if (details != "")
    {
        await File.WriteAllLinesAsync(details, report.Details);
    }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(dir, recursive: true);
    if (postgres != "")
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(postgres, $"DROP DATABASE IF EXISTS {postgresDatabase} WITH (FORCE)");
    }
}

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new Npgsql.NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new Npgsql.NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
