namespace Platform.Bench.Peers;

public static class Waiting
{
    /// <summary>Polls <paramref name="done"/> until it reaches <paramref name="target"/>; throws after <paramref name="timeout"/> without progress.</summary>
    public static async Task<long> UntilAsync(Func<Task<long>> done, long target, TimeSpan timeout, int everyMs = 100)
    {
        var last = -1L;
        var stalledSince = DateTime.UtcNow;
        while (true)
        {
            var now = await done();
            if (now >= target)
            {
                return now;
            }
            if (now != last)
            {
                last = now;
                stalledSince = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - stalledSince > timeout)
            {
                throw new TimeoutException($"stuck at {now} of {target} for {timeout}");
            }
            await Task.Delay(everyMs);
        }
    }

    /// <summary>Jobs for a pipeline round: enough for the target seconds at the warm-up's rate (warm rates run higher, hence the margin of 2.5).</summary>
    public static long Size(Settings settings, double warmRate) =>
        settings.Jobs ?? Math.Max(500, (long)(warmRate * settings.Seconds * 2.5));
}
