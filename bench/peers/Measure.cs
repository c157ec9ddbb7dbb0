using System.Diagnostics;
using Platform.Bench.Throughput;

namespace Platform.Bench.Peers;

/// <summary>The two scenarios, the same for every system; each system supplies how to submit, start, count and check.</summary>
/// <summary>Taken as the window opens; the function it returns describes the window given the jobs in it (allocations per job, ...).</summary>
public delegate Task<Func<long, Task<string>>> Profile();

public static class Measure
{
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(2);

    /// <summary>
    /// <paramref name="submit"/> returns the CPU seconds of a submitter process of its own (which /proc cannot be read
    /// for once it exited), or 0 when the submitter is this process (sampled with the rest).
    /// Warm-up jobs 1..W through the running workers, then N more (sized from the warm-up's rate) submitted while the
    /// workers run; the window closes when all are done, as a submitter waiting for all would see it.
    /// </summary>
    public static async Task<Result> PipelineAsync(string system, int round, Settings settings, BenchEnvironment env,
        Func<Dictionary<string, List<int>>> groups, string[] shared, Func<long, long, Task<double>> submit, Func<Task<long>> done,
        Func<long, Task<(long Lost, long Duplicated)>> check, Profile? profile = null)
    {
        var warm = Stopwatch.StartNew();
        await submit(1, settings.Warmup);
        await Waiting.UntilAsync(done, settings.Warmup, Stall);
        var jobs = Waiting.Size(settings, settings.Warmup / warm.Elapsed.TotalSeconds);
        // Every system's database (empty for those that keep nothing in PostgreSQL) gets what autovacuum gives a
        // deployment within its first minute: statistics for the rows the warm-up wrote (docs/benchmarks.md).
        await env.VacuumAnalyzeAsync();
        await Task.Delay(1500); // let the warm-up's database counters flush before the window opens
        var profiling = profile is null ? null : await profile();
        await using var window = await Window.StartAsync(env, groups, shared);
        var clientCpu = await submit(settings.Warmup + 1, jobs);
        await Finish(done, settings.Warmup + jobs, everyMs: 50);
        var (seconds, cpu, pg, load) = await window.StopAsync(env.ConnectionString);
        if (clientCpu > 0)
        {
            cpu["client"] = cpu.GetValueOrDefault("client") + clientCpu; // a submitter process's own report, start-up excluded
        }
        var note = profiling is null ? "" : await profiling(jobs);
        var (lost, duplicated) = await check(settings.Warmup + jobs);
        Keep(env, lost, duplicated, $"{system}-pipeline-{round}");
        return new Result(system, "pipeline", round, jobs, seconds, cpu, pg, lost, duplicated, window.LoadAtStart, load, note);
    }

    /// <summary>
    /// A backlog of jobs 1..B queued with no worker, then the workers started; the window is the steady part, from
    /// 10 % to 90 % of the backlog done (process start-up and the tail left out).
    /// </summary>
    public static async Task<Result> DrainAsync(string system, int round, long backlog, BenchEnvironment env,
        Func<Dictionary<string, List<int>>> groups, string[] shared, Func<long, long, Task<double>> submit, Func<Task> startWorkers,
        Func<Task<long>> done, Func<long, Task<(long Lost, long Duplicated)>> check, Profile? profile = null)
    {
        await submit(1, backlog);
        await env.VacuumAnalyzeAsync(); // as after the pipeline's warm-up: every system's database, before its workers start
        await startWorkers();
        var from = await Waiting.UntilAsync(done, backlog / 10, Stall, everyMs: 50);
        var profiling = profile is null ? null : await profile();
        await using var window = await Window.StartAsync(env, groups, shared);
        var to = await Waiting.UntilAsync(done, backlog * 9 / 10, Stall, everyMs: 50);
        var (seconds, cpu, pg, load) = await window.StopAsync(env.ConnectionString);
        var note = profiling is null ? "" : await profiling(to - from);
        await Finish(done, backlog, everyMs: 100);
        var (lost, duplicated) = await check(backlog);
        Keep(env, lost, duplicated, $"{system}-drain-{round}");
        return new Result(system, "drain", round, to - from, seconds, cpu, pg, lost, duplicated, window.LoadAtStart, load, note);
    }

    /// <summary>
    /// Waits for all jobs; jobs still not done after <see cref="Stall"/> without progress are left to the check, which
    /// counts them as lost (and keeps the logs) instead of ending the run.
    /// </summary>
    private static async Task Finish(Func<Task<long>> done, long target, int everyMs)
    {
        try
        {
            await Waiting.UntilAsync(done, target, Stall, everyMs);
        }
        catch (TimeoutException e)
        {
            Console.WriteLine($"  not all done: {e.Message}");
        }
    }

    /// <summary>A round that lost or duplicated a job keeps its logs and execution files (the work folder is removed otherwise).</summary>
    private static void Keep(BenchEnvironment env, long lost, long duplicated, string name)
    {
        if (lost + duplicated == 0)
        {
            return;
        }
        var target = Path.Combine(Path.GetTempPath(), $"peers-kept-{name}-{DateTime.UtcNow:HHmmss}");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(env.WorkDirectory))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        Console.WriteLine($"  lost {lost}, duplicated {duplicated}: logs kept in {target}");
    }
}
