using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;
using Platform.Search;
using Platform.ServiceDefaults;
using Platform.Tests.Support;

namespace Platform.Tests.Ai;

/// <summary>A migrated store (SQLite file or a fresh PostgreSQL database) with the default search stack over it.</summary>
public sealed class SearchHarness : IAsyncDisposable
{
    private PostgresDatabase? _postgres;
    private string? _sqliteDir;

    public Db Db { get; private set; } = null!;
    public DocumentStore Documents { get; private set; } = null!;
    public ChunkStore Chunks { get; private set; } = null!;
    public DocumentTags Tags { get; private set; } = null!;
    public IEmbedder Embedder { get; private set; } = null!;
    public SqlSearchIndex Index { get; private set; } = null!;
    public VectorIndex Vectors { get; private set; } = null!;
    public HybridSearch Search { get; private set; } = null!;

    public static async Task<SearchHarness> CreateAsync(string provider, IEmbedder? embedder = null, SearchOptions? options = null)
    {
        var h = new SearchHarness();
        string connectionString;
        if (provider == "PostgreSql")
        {
            h._postgres = await PostgresDatabase.CreateAsync();
            connectionString = h._postgres.ConnectionString;
        }
        else
        {
            h._sqliteDir = Directory.CreateTempSubdirectory("platform-ai-").FullName;
            connectionString = $"Data Source={Path.Combine(h._sqliteDir, "platform.db")}";
        }
        h.Db = new Db(Options.Create(new DatabaseOptions { Provider = provider, ConnectionString = connectionString }));
        await new SchemaMigrator(h.Db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        h.Documents = new DocumentStore(h.Db, TimeProvider.System);
        h.Chunks = new ChunkStore(h.Db, TimeProvider.System);
        h.Tags = new DocumentTags(h.Db);
        h.Embedder = embedder ?? new BuiltInEmbedder(Options.Create(new EmbeddingOptions()));
        var searchOptions = Options.Create(options ?? new SearchOptions());
        h.Vectors = new VectorIndex(h.Chunks, h.Db, h.Embedder, options: searchOptions);
        h.Index = new SqlSearchIndex(h.Chunks, h.Vectors, searchOptions);
        h.Search = new HybridSearch(h.Chunks, h.Index, h.Embedder, h.Tags, h.Documents, searchOptions);
        return h;
    }

    /// <summary>A document of one chunk per passage, embedded, as the ingest and AI workers would leave it.</summary>
    public async Task<(Guid DocumentId, IReadOnlyList<Chunk> Chunks)> AddDocumentAsync(string tenant, string name, IReadOnlyList<string> passages,
        params string[] tags)
    {
        var document = await Documents.CreateAsync(new Document
        {
            Id = Guid.CreateVersion7(), TenantId = tenant, FileName = name, ContentType = "text/plain", SizeBytes = 1, Sha256 = "x",
            BlobKey = $"uploads/{tenant}/{name}",
        });
        if (tags.Length > 0)
        {
            await Tags.SetAsync(document.Id, tags);
        }
        var chunks = passages.Select((p, i) => new Chunk
        {
            TenantId = tenant, DocumentId = document.Id, Ordinal = i, PageStart = i + 1, PageEnd = i + 1, HeadingPath = name, Kind = "text",
            CharStart = 0, CharEnd = p.Length, Content = p, ContentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(p))),
            SearchText = TextTokenizer.ToSearchText(name + " " + p),
        }).ToList();
        var stored = await Chunks.ReplaceAsync(tenant, document.Id, chunks);
        var vectors = await Embedder.EmbedAsync(stored.Select(c => c.HeadingPath + "\n" + c.Content).ToList());
        await Chunks.SetEmbeddingsAsync(stored.Select((c, i) => (c.Id, vectors[i])).ToList(), Embedder.Model);
        return (document.Id, stored);
    }

    /// <summary>A document of the chunks the ingest packer made, embedded as the AI worker does.</summary>
    public async Task<Guid> AddPackedAsync(string tenant, string name, IReadOnlyList<Chunk> packed)
    {
        var document = await Documents.CreateAsync(new Document
        {
            Id = Guid.CreateVersion7(), TenantId = tenant, FileName = name, ContentType = "text/csv", SizeBytes = 1, Sha256 = "x",
            BlobKey = $"uploads/{tenant}/{name}",
        });
        var stored = await Chunks.ReplaceAsync(tenant, document.Id, packed);
        var vectors = await Embedder.EmbedAsync(stored.Select(c => c.HeadingPath + "\n" + c.Content).ToList());
        await Chunks.SetEmbeddingsAsync(stored.Select((c, i) => (c.Id, vectors[i])).ToList(), Embedder.Model);
        return document.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        if (_sqliteDir is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestFolders.Delete(_sqliteDir);
        }
    }
}
