namespace Platform.Bench.Peers;

/// <summary>
/// Exactly-once check of one round: every job is numbered; given every execution a system recorded, how many numbers
/// never ran (lost) and how many ran more than once (duplicated: executions beyond the first).
/// </summary>
public static class Ledger
{
    public static (long Lost, long Duplicated) Check(long first, long count, IEnumerable<long> executed)
    {
        var seen = new int[count];
        long duplicated = 0;
        foreach (var number in executed)
        {
            if (number < first || number >= first + count)
            {
                continue; // a warm-up job, or another round's
            }
            if (++seen[number - first] > 1)
            {
                duplicated++;
            }
        }
        return (seen.LongCount(s => s == 0), duplicated);
    }

    /// <summary>Numbers from text files of one number per line (the peers' execution logs).</summary>
    public static IEnumerable<long> ReadFiles(IEnumerable<string> paths) =>
        paths.SelectMany(File.ReadLines).Where(l => l.Length > 0).Select(long.Parse);
}
