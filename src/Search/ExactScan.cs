using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Platform.Search;

/// <summary>
/// The exact nearest-neighbour scan: one SIMD dot product per row of a contiguous row-major matrix, keeping the best k in a
/// small min-heap. Memory-bound: it reads every float once, so its ceiling is a plain sequential pass over the same array
/// (bench/ai measures both).
/// </summary>
public static class ExactScan
{
    /// <summary>The best k rows by exact dot product, best first, on up to <paramref name="threads"/> threads for large matrices.</summary>
    public static List<(int Row, float Score)> TopK(float[] matrix, int dimensions, float[] query, int k, Func<int, bool>? include = null,
        int threads = 1) =>
        ScanPartitions.TopK(matrix.Length / dimensions, k, threads, (start, end, best) =>
        {
            var q = query.AsSpan(0, dimensions);
            for (var i = start; i < end; i++)
            {
                if (include is not null && !include(i))
                {
                    continue;
                }
                ScanPartitions.Offer(best, k, i, Dot(q, matrix.AsSpan(i * dimensions, dimensions)));
            }
        });

    /// <summary>Exact scores of the given rows only (the re-scoring pass after an approximate scan), best first, at most k.</summary>
    public static List<(int Row, float Score)> Rescore(float[] matrix, int dimensions, float[] query, IEnumerable<int> rows, int k)
    {
        var q = query.AsSpan(0, dimensions);
        var scored = new List<(int Row, float Score)>();
        foreach (var row in rows)
        {
            scored.Add((row, Dot(q, matrix.AsSpan(row * dimensions, dimensions))));
        }
        scored.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Row.CompareTo(b.Row));
        return scored.Count > k ? scored[..k] : scored;
    }

    /// <summary>
    /// Dot product with four independent SIMD accumulators (TensorPrimitives.Dot has one chain and a per-call setup that
    /// shows at 384 floats a row). Falls back to TensorPrimitives when the size is not a multiple of the vector width.
    /// </summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var width = Vector<float>.Count;
        if (x.Length % (width * 4) != 0)
        {
            return TensorPrimitives.Dot(x, y);
        }
        var a = MemoryMarshal.Cast<float, Vector<float>>(x);
        var b = MemoryMarshal.Cast<float, Vector<float>>(y);
        Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (var i = 0; i < a.Length; i += 4)
        {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        return Vector.Sum(s0 + s1 + s2 + s3);
    }
}
