using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Platform.Infrastructure.Search;

/// <summary>
/// The exact nearest-neighbour scan: one SIMD dot product per row of a contiguous row-major matrix, keeping the best k in a
/// small min-heap. Memory-bound: it reads every float once, so its ceiling is a plain sequential pass over the same array
/// (bench/ai measures both).
/// </summary>
public static class ExactScan
{
    public static List<(int Row, float Score)> TopK(float[] matrix, int dimensions, float[] query, int k, Func<int, bool>? include = null)
    {
        var rows = matrix.Length / dimensions;
        var best = new PriorityQueue<int, float>(k + 1);
        var q = query.AsSpan(0, dimensions);
        for (var i = 0; i < rows; i++)
        {
            if (include is not null && !include(i))
            {
                continue;
            }
            var score = Dot(q, matrix.AsSpan(i * dimensions, dimensions));
            if (best.Count < k)
            {
                best.Enqueue(i, score);
            }
            else if (best.TryPeek(out _, out var worst) && score > worst)
            {
                best.DequeueEnqueue(i, score);
            }
        }
        var result = new List<(int, float)>(best.Count);
        while (best.TryDequeue(out var index, out var score))
        {
            result.Add((index, score));
        }
        result.Reverse();
        return result;
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
