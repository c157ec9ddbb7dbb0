using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Platform.Search;

/// <summary>
/// A row-major float matrix quantized to one signed byte per value with one scale per row (code = round(x / scale),
/// scale = max |x| / 127), so a scan reads a quarter of the bytes of the float32 scan. The query is quantized to 16 bits,
/// so its own rounding is negligible next to the rows'. Scores are approximate (each value is off by at most scale / 2);
/// <see cref="VectorIndex"/> uses them only to pick candidates, which it re-scores exactly in float32.
/// </summary>
public sealed class Int8Matrix
{
    private readonly sbyte[] _codes;
    private readonly float[] _scales;

    public Int8Matrix(float[] matrix, int dimensions)
    {
        Dimensions = dimensions;
        Rows = matrix.Length / dimensions;
        _codes = new sbyte[Rows * dimensions];
        _scales = new float[Rows];
        for (var i = 0; i < Rows; i++)
        {
            _scales[i] = Quantize(matrix.AsSpan(i * dimensions, dimensions), _codes.AsSpan(i * dimensions, dimensions));
        }
    }

    public int Rows { get; }

    public int Dimensions { get; }

    /// <summary>Bytes of the codes and scales, what one scan reads.</summary>
    public long Bytes => _codes.Length + (long)_scales.Length * sizeof(float);

    /// <summary>Writes round(x / scale) into <paramref name="codes"/> and returns the scale (0 for an all-zero row).</summary>
    public static float Quantize(ReadOnlySpan<float> values, Span<sbyte> codes)
    {
        var max = 0f;
        foreach (var v in values)
        {
            max = MathF.Max(max, MathF.Abs(v));
        }
        if (max == 0 || !float.IsFinite(max))
        {
            codes.Clear();
            return 0;
        }
        var scale = max / 127f;
        for (var j = 0; j < values.Length; j++)
        {
            codes[j] = (sbyte)Math.Clamp(MathF.Round(values[j] / scale), -127, 127);
        }
        return scale;
    }

    /// <summary>The value a code stands for, for tests of the error bound.</summary>
    public float Dequantize(int row, int column) => _codes[row * Dimensions + column] * _scales[row];

    /// <summary>The query in 16 bits, scaled so that a row's integer dot product cannot overflow 32 bits.</summary>
    public QueryCodes Prepare(ReadOnlySpan<float> query)
    {
        var limit = (int)Math.Min(short.MaxValue, int.MaxValue / (127L * Dimensions));
        var max = 0f;
        foreach (var v in query[..Dimensions])
        {
            max = MathF.Max(max, MathF.Abs(v));
        }
        var codes = new short[Dimensions];
        if (max == 0 || !float.IsFinite(max))
        {
            return new QueryCodes(codes, 0);
        }
        var scale = max / limit;
        for (var j = 0; j < Dimensions; j++)
        {
            codes[j] = (short)Math.Clamp(MathF.Round(query[j] / scale), -limit, limit);
        }
        return new QueryCodes(codes, scale);
    }

    /// <summary>The approximate dot product of one row with the query.</summary>
    public float Score(int row, QueryCodes query) =>
        Dot(_codes.AsSpan(row * Dimensions, Dimensions), query.Codes) * _scales[row] * query.Scale;

    /// <summary>
    /// The best <paramref name="k"/> rows by approximate score, best first, scanning on up to <paramref name="threads"/>
    /// threads (see <see cref="ScanPartitions"/>).
    /// </summary>
    public List<(int Row, float Score)> TopK(ReadOnlySpan<float> query, int k, Func<int, bool>? include = null, int threads = 1)
    {
        var q = Prepare(query);
        return ScanPartitions.TopK(Rows, k, threads, (start, end, best) =>
        {
            var codes = q.Codes;
            for (var i = start; i < end; i++)
            {
                if (include is not null && !include(i))
                {
                    continue;
                }
                // The query scale is common to every row: leave it out of the comparison, apply it once at the end.
                var score = Dot(_codes.AsSpan(i * Dimensions, Dimensions), codes) * _scales[i];
                ScanPartitions.Offer(best, k, i, score);
            }
        }, score => score * q.Scale);
    }

    /// <summary>Σ row[j] · query[j] in 32-bit integers: AVX2 widens 16 codes at a time and multiply-adds pairs (vpmaddwd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Dot(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query)
    {
        var n = row.Length;
        var j = 0;
        var sum = 0;
        if (Avx2.IsSupported && n >= 32)
        {
            ref var r = ref MemoryMarshal.GetReference(row);
            ref var q = ref MemoryMarshal.GetReference(query);
            Vector256<int> a0 = default, a1 = default;
            for (; j + 32 <= n; j += 32)
            {
                var lo = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)j));
                var hi = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)j + 16));
                a0 = Avx2.Add(a0, Avx2.MultiplyAddAdjacent(lo, Vector256.LoadUnsafe(ref q, (nuint)j)));
                a1 = Avx2.Add(a1, Avx2.MultiplyAddAdjacent(hi, Vector256.LoadUnsafe(ref q, (nuint)j + 16)));
            }
            sum = Vector256.Sum(Avx2.Add(a0, a1));
        }
        for (; j < n; j++)
        {
            sum += row[j] * query[j];
        }
        return sum;
    }

    public sealed record QueryCodes(short[] Codes, float Scale);
}
