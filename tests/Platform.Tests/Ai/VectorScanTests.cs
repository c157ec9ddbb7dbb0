using Platform.Data;
using Platform.Search;

namespace Platform.Tests.Ai;

/// <summary>
/// The int8 scan and the split scan: the quantization error stays within half a step, int8 + float32 re-score returns the
/// exact top k on a seeded set, and a scan split across threads returns exactly what one thread does.
/// </summary>
public sealed class VectorScanTests
{
    private static float[] RandomMatrix(int rows, int dimensions, int seed)
    {
        var random = new Random(seed);
        var matrix = new float[rows * dimensions];
        for (var i = 0; i < rows; i++)
        {
            var row = matrix.AsSpan(i * dimensions, dimensions);
            for (var j = 0; j < dimensions; j++)
            {
                // Roughly Gaussian and L2-normalised, as embeddings are.
                row[j] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5);
            }
            var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(row));
            for (var j = 0; j < dimensions; j++)
            {
                row[j] /= norm;
            }
        }
        return matrix;
    }

    [Test]
    public void Should_reconstruct_every_value_within_half_a_quantization_step()
    {
        const int dims = 384;
        var matrix = RandomMatrix(200, dims, seed: 1);
        var int8 = new Int8Matrix(matrix, dims);
        for (var i = 0; i < 200; i++)
        {
            var step = matrix.AsSpan(i * dims, dims).ToArray().Max(MathF.Abs) / 127f;
            for (var j = 0; j < dims; j++)
            {
                Assert.That(Math.Abs(int8.Dequantize(i, j) - matrix[i * dims + j]), Is.LessThanOrEqualTo(step / 2 * 1.0001f), $"row {i} column {j}");
            }
        }
    }

    [Test]
    public void Should_keep_an_all_zero_row_at_score_zero()
    {
        var matrix = new float[2 * 64];
        matrix[64] = 1f;
        var int8 = new Int8Matrix(matrix, 64);
        var query = new float[64];
        query[0] = 1f;
        var q = int8.Prepare(query);
        Assert.That(int8.Score(0, q), Is.Zero);
        Assert.That(int8.Score(1, q), Is.EqualTo(1f).Within(0.01f));
    }

    [TestCase(384)]
    [TestCase(100)] // not a multiple of the 32-byte SIMD block: the tail is summed one by one
    [TestCase(4096)] // the query's 16-bit range shrinks so the 32-bit sum cannot overflow
    public void Should_score_close_to_the_float_dot_product(int dims)
    {
        var matrix = RandomMatrix(50, dims, seed: dims);
        var query = RandomMatrix(1, dims, seed: dims + 1);
        var int8 = new Int8Matrix(matrix, dims);
        var q = int8.Prepare(query);
        for (var i = 0; i < 50; i++)
        {
            var exact = ExactScan.Dot(query, matrix.AsSpan(i * dims, dims));
            // Each row value is off by at most half its step (max|x| / 254), each query value by half of its own (max|q| over
            // twice the 16-bit range used); over unit vectors Σ|v_j| ≤ √dims bounds the error of the sum.
            var rowHalfStep = matrix.AsSpan(i * dims, dims).ToArray().Max(MathF.Abs) / 254f;
            var queryHalfStep = query.Max(MathF.Abs) / (2f * Math.Min(short.MaxValue, int.MaxValue / (127L * dims)));
            var bound = MathF.Sqrt(dims) * (rowHalfStep + queryHalfStep) * 1.01f + 1e-6f;
            Assert.That(int8.Score(i, q), Is.EqualTo(exact).Within(bound), $"row {i}");
        }
    }

    [Test]
    public void Should_return_the_exact_top_k_after_rescoring_the_int8_candidates()
    {
        const int dims = 384;
        var matrix = RandomMatrix(20_000, dims, seed: 7);
        var int8 = new Int8Matrix(matrix, dims);
        var queries = RandomMatrix(20, dims, seed: 8);
        for (var n = 0; n < 20; n++)
        {
            var query = queries.AsSpan(n * dims, dims).ToArray();
            var exact = ExactScan.TopK(matrix, dims, query, 50);
            var rescored = ExactScan.Rescore(matrix, dims, query, int8.TopK(query, 200).Select(c => c.Row), 50);
            Assert.That(rescored.Select(r => r.Row), Is.EqualTo(exact.Select(r => r.Row)), $"query {n}");
            Assert.That(rescored.Select(r => r.Score), Is.EqualTo(exact.Select(r => r.Score)), $"query {n}: re-scored scores are the exact ones");
        }
    }

    [Test]
    public void Should_return_the_same_top_k_split_across_threads_as_on_one()
    {
        const int dims = 64;
        var rows = ScanPartitions.MinRowsPerThread * 4 + 123;
        var matrix = RandomMatrix(rows, dims, seed: 3);
        var int8 = new Int8Matrix(matrix, dims);
        var query = RandomMatrix(1, dims, seed: 4);
        Func<int, bool> everyThird = i => i % 3 == 0;
        Assert.That(ScanPartitions.PartsFor(rows, 4), Is.EqualTo(4));

        Assert.That(ExactScan.TopK(matrix, dims, query, 100, threads: 4), Is.EqualTo(ExactScan.TopK(matrix, dims, query, 100, threads: 1)));
        Assert.That(int8.TopK(query, 100, threads: 4), Is.EqualTo(int8.TopK(query, 100, threads: 1)));
        var filtered = int8.TopK(query, 100, everyThird, threads: 4);
        Assert.That(filtered, Is.EqualTo(int8.TopK(query, 100, everyThird, threads: 1)));
        Assert.That(filtered.Select(r => r.Row), Is.All.Matches<int>(r => r % 3 == 0));
    }

    [Test]
    public void Should_scan_a_small_matrix_on_the_callers_thread_only()
    {
        Assert.That(ScanPartitions.PartsFor(ScanPartitions.MinRowsPerThread * 2 - 1, 8), Is.EqualTo(1));
        Assert.That(ScanPartitions.PartsFor(ScanPartitions.MinRowsPerThread * 2, 8), Is.EqualTo(2));
        Assert.That(ScanPartitions.PartsFor(1_000_000, 1), Is.EqualTo(1));
    }
}
