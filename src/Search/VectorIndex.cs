using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Platform.Data;

namespace Platform.Search;

/// <summary>
/// Exact vector search in process: each tenant's vectors in one contiguous array, scanned with SIMD dot products.
/// The array is rebuilt from the database when the tenant's vector fingerprint changes, so every process
/// (API replicas, the AI worker) sees what any of them indexed. The fingerprint is the tenant's latest embedding time, one
/// index seek (schema step 4 adds the index), checked at most once per <see cref="FreshnessWindow"/>: another process's new
/// vectors become searchable within that window; this process's own (see <see cref="Invalidate"/>) at once. Vectors of
/// deleted chunks may linger until the next check, which is harmless: hits are re-read from the database, so they drop out.
/// With <see cref="SearchOptions.VectorPrecision"/> Int8 (the default) the scan reads an int8 copy and re-scores its best
/// candidates in float32, so the scores returned are exact; large tenants are scanned on several threads.
/// </summary>
public sealed class VectorIndex(ChunkStore chunks, Db db, IEmbedder embedder, TimeProvider? clock = null,
    IOptions<SearchOptions>? options = null)
{
    public static readonly TimeSpan FreshnessWindow = TimeSpan.FromSeconds(1);
    private readonly SearchOptions _options = options?.Value ?? new SearchOptions();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, TenantVectors> _tenants = new();
    private readonly ConcurrentDictionary<string, long> _checkedAt = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();

    public async Task<IReadOnlyList<(Guid ChunkId, double Score)>> SearchAsync(string tenantId, float[] query,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default)
    {
        var vectors = await CurrentAsync(tenantId, ct);
        return vectors.TopK(query, documentIds is { Count: > 0 } ? documentIds.ToHashSet() : null, limit, _options);
    }

    /// <summary>Forces the next search of the tenant to check the fingerprint (called after this process embedded chunks).</summary>
    public void Invalidate(string tenantId) => _checkedAt.TryRemove(tenantId, out _);

    private async Task<TenantVectors> CurrentAsync(string tenantId, CancellationToken ct)
    {
        var now = _clock.GetTimestamp();
        if (_tenants.TryGetValue(tenantId, out var recent) && _checkedAt.TryGetValue(tenantId, out var at)
            && _clock.GetElapsedTime(at, now) < FreshnessWindow)
        {
            return recent;
        }
        // The latest deletion is part of the version, so deleted documents' vectors leave the array too (search results never
        // depended on it: hits are re-read from the chunk rows).
        var version = await db.QuerySingleOrDefaultAsync<string>(
            $"""
            SELECT {db.Dialect.AsText("max(embedded_at)")} || '|' || coalesce((SELECT {db.Dialect.AsText("max(updated_at)")} FROM documents
                WHERE tenant_id = @tenantId AND status = '{DocumentStatus.Deleted}'), '')
            FROM chunks WHERE tenant_id = @tenantId AND embedding_model = @model
            """,
            new { tenantId, model = embedder.Model }, ct);
        _checkedAt[tenantId] = now;
        if (_tenants.TryGetValue(tenantId, out var cached) && cached.Version == version)
        {
            return cached;
        }
        var gate = _locks.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (_tenants.TryGetValue(tenantId, out cached) && cached.Version == version)
            {
                return cached;
            }
            var rows = await chunks.LoadVectorsAsync(tenantId, embedder.Model, since: null, ct);
            var fresh = new TenantVectors(version, embedder.Dimensions, rows, _options.UsesInt8Vectors);
            _tenants[tenantId] = fresh;
            return fresh;
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed class TenantVectors
    {
        private readonly int _dimensions;
        private readonly float[] _matrix;
        private readonly Guid[] _chunkIds;
        private readonly Guid[] _documentIds;
        private readonly Int8Matrix? _int8;

        public TenantVectors(string? version, int dimensions,
            IReadOnlyList<(Guid ChunkId, Guid DocumentId, float[] Vector, DateTimeOffset EmbeddedAt)> rows, bool int8)
        {
            Version = version;
            _dimensions = dimensions;
            _matrix = new float[rows.Count * dimensions];
            _chunkIds = new Guid[rows.Count];
            _documentIds = new Guid[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i].Vector.AsSpan(0, dimensions).CopyTo(_matrix.AsSpan(i * dimensions, dimensions));
                _chunkIds[i] = rows[i].ChunkId;
                _documentIds[i] = rows[i].DocumentId;
            }
            _int8 = int8 ? new Int8Matrix(_matrix, dimensions) : null;
        }

        public string? Version { get; }

        public IReadOnlyList<(Guid ChunkId, double Score)> TopK(float[] query, HashSet<Guid>? documents, int k, SearchOptions options)
        {
            Func<int, bool>? include = documents is null ? null : i => documents.Contains(_documentIds[i]);
            var threads = options.EffectiveScanThreads;
            var best = _int8 is null
                ? ExactScan.TopK(_matrix, _dimensions, query, k, include, threads)
                : ExactScan.Rescore(_matrix, _dimensions, query,
                    _int8.TopK(query, Math.Max(k, options.VectorRescoreCandidates), include, threads).Select(c => c.Row), k);
            return best.Select(r => (_chunkIds[r.Row], (double)r.Score)).ToList();
        }
    }
}
