using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Platform.Infrastructure.Data;

namespace Platform.Infrastructure.Search;

/// <summary>
/// Exact vector search in process: each tenant's vectors in one contiguous array, scanned with SIMD dot products.
/// The array is rebuilt from the database when the tenant's vector fingerprint changes, so every process
/// (API replicas, the AI worker) sees what any of them indexed.
/// </summary>
public sealed class VectorIndex(ChunkStore chunks, IEmbedder embedder)
{
    private readonly ConcurrentDictionary<string, TenantVectors> _tenants = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();

    public async Task<IReadOnlyList<(Guid ChunkId, double Score)>> SearchAsync(string tenantId, float[] query,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default)
    {
        var vectors = await CurrentAsync(tenantId, ct);
        return vectors.TopK(query, documentIds is { Count: > 0 } ? documentIds.ToHashSet() : null, limit);
    }

    private async Task<TenantVectors> CurrentAsync(string tenantId, CancellationToken ct)
    {
        var version = await chunks.VectorVersionAsync(tenantId, embedder.Model, ct);
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
            var fresh = new TenantVectors(version, embedder.Dimensions, rows);
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

        public TenantVectors((long, DateTimeOffset?) version, int dimensions,
            IReadOnlyList<(Guid ChunkId, Guid DocumentId, float[] Vector, DateTimeOffset EmbeddedAt)> rows)
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
        }

        public (long, DateTimeOffset?) Version { get; }

        public IReadOnlyList<(Guid ChunkId, double Score)> TopK(float[] query, HashSet<Guid>? documents, int k)
        {
            var best = new PriorityQueue<int, float>(k + 1);
            for (var i = 0; i < _chunkIds.Length; i++)
            {
                if (documents is not null && !documents.Contains(_documentIds[i]))
                {
                    continue;
                }
                var score = TensorPrimitives.Dot(query, _matrix.AsSpan(i * _dimensions, _dimensions));
                if (best.Count < k)
                {
                    best.Enqueue(i, score);
                }
                else if (best.TryPeek(out _, out var worst) && score > worst)
                {
                    best.DequeueEnqueue(i, score);
                }
            }
            var result = new List<(Guid, double)>(best.Count);
            while (best.TryDequeue(out var index, out var score))
            {
                result.Add((_chunkIds[index], score));
            }
            result.Reverse();
            return result;
        }
    }
}
