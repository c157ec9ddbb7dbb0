using System.Security.Cryptography;
using Platform.Data;
using Platform.Search;
using Platform.Workers.Ingest.Chunking;
using Platform.Workers.Ingest.Parsing;

namespace Platform.Bench.Quality;

/// <summary>Ingests every file of the corpus folder as the workers do: parse, pack, store chunks, embed.</summary>
public sealed class Corpus(DocumentParser parser, ChunkPacker packer, DocumentStore documents, ChunkStore chunks, IEmbedder embedder,
    VectorIndex vectorIndex)
{
    public const string Tenant = "quality";

    public Dictionary<string, Guid> ByFile { get; } = new(StringComparer.Ordinal);

    public Dictionary<Guid, string> Names { get; } = [];

    public async Task<int> IngestAsync(string directory)
    {
        var total = 0;
        var embedClock = new System.Diagnostics.Stopwatch();
        foreach (var path in Directory.GetFiles(directory).Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var bytes = await File.ReadAllBytesAsync(path);
            var document = await documents.CreateAsync(new Document
            {
                Id = Guid.CreateVersion7(), TenantId = Tenant, FileName = name, ContentType = "application/octet-stream",
                SizeBytes = bytes.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), BlobKey = $"uploads/{Tenant}/{name}",
            });
            await using var stream = new MemoryStream(bytes);
            var parsed = await parser.ParseAsync(stream, name, CancellationToken.None);
            var stored = await chunks.ReplaceAsync(Tenant, document.Id, packer.Pack(parsed.Sections));
            await documents.SetParsedAsync(document.Id, parsed.PageCount, stored.Count);
            foreach (var batch in stored.Chunk(64))
            {
                embedClock.Start();
                var vectors = await embedder.EmbedAsync(batch.Select(c => c.HeadingPath + "\n" + c.Content).ToList());
                embedClock.Stop();
                await chunks.SetEmbeddingsAsync(batch.Select((c, i) => (c.Id, vectors[i])).ToList(), embedder.Model);
            }
            ByFile[name] = document.Id;
            Names[document.Id] = name;
            total += stored.Count;
            Console.Error.WriteLine($"  {name}: {parsed.Format}, {parsed.PageCount} pages, {stored.Count} chunks, " +
                $"{stored.Count(c => c.HeadingPath.Length > 0)} with a heading");
        }
        vectorIndex.Invalidate(Tenant);
        Console.Error.WriteLine($"Embedding: {total} chunks in {embedClock.Elapsed.TotalSeconds:F1} s ({total / Math.Max(0.001, embedClock.Elapsed.TotalSeconds):F0} chunks/s)");
        return total;
    }
}
