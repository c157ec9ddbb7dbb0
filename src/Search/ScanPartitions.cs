namespace Platform.Search;

/// <summary>
/// Splits a top-k scan over matrix rows across threads, for large matrices only: each part keeps its own min-heap of
/// the best k, and the parts are merged at the end. A small matrix is scanned on the caller's thread, where handing work to
/// other threads would cost more than the scan.
/// </summary>
public static class ScanPartitions
{
    /// <summary>Fewer rows than this per thread are not worth a thread (at 384 dimensions: 6 MB of int8, 25 MB of float32).</summary>
    public const int MinRowsPerThread = 16_384;

    public static int PartsFor(int rows, int threads) => Math.Max(1, Math.Min(threads, rows / MinRowsPerThread));

    /// <summary>The best k rows, best first (ties: lower row first), whichever way the rows were split.</summary>
    /// <param name="scan">Scans rows [start, end) into the heap, using <see cref="Offer"/>.</param>
    /// <param name="finalScore">Maps a heap score to the returned score (e.g. applies a common scale once).</param>
    public static List<(int Row, float Score)> TopK(int rows, int k, int threads, Action<int, int, PriorityQueue<int, float>> scan,
        Func<float, float>? finalScore = null)
    {
        var parts = PartsFor(rows, threads);
        var heaps = new PriorityQueue<int, float>[parts];
        if (parts == 1)
        {
            heaps[0] = new PriorityQueue<int, float>(k + 1);
            scan(0, rows, heaps[0]);
        }
        else
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
            {
                heaps[p] = new PriorityQueue<int, float>(k + 1);
                scan((int)((long)rows * p / parts), (int)((long)rows * (p + 1) / parts), heaps[p]);
            });
        }
        var all = new List<(int Row, float Score)>(k * parts);
        foreach (var heap in heaps)
        {
            foreach (var (row, score) in heap.UnorderedItems)
            {
                all.Add((row, finalScore is null ? score : finalScore(score)));
            }
        }
        all.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Row.CompareTo(b.Row));
        if (all.Count > k)
        {
            all.RemoveRange(k, all.Count - k);
        }
        return all;
    }

    /// <summary>Keeps the row if it is among the best k seen so far (the heap's root is the worst kept).</summary>
    public static void Offer(PriorityQueue<int, float> best, int k, int row, float score)
    {
        if (best.Count < k)
        {
            best.Enqueue(row, score);
        }
        else if (best.TryPeek(out _, out var worst) && score > worst)
        {
            best.DequeueEnqueue(row, score);
        }
    }
}
