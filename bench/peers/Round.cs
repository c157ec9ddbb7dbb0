namespace Platform.Bench.Peers;

/// <summary>Settings of one run (command line: --seconds 15 --rounds 3 --warmup 1000 --clients 32 ...).</summary>
public sealed record Settings(int Seconds, int Rounds, int Warmup, int Clients, long? Jobs, int PlatformPrefetch,
    int CeleryConcurrency, int CeleryPrefetchMultiplier, int HangfireWorkers, int HangfirePollMs, string[] Systems, string Root,
    KeyValuePair<string, string>[] PlatformEnvironment);

/// <summary>What one system did in one scenario of one round.</summary>
public sealed record Result(string System, string Scenario, int Round, long Jobs, double Seconds, Dictionary<string, double> Cpu,
    PgCounters Pg, long Lost, long Duplicated, string LoadStart, string LoadEnd, string Note)
{
    public double Rate => Jobs / Seconds;

    public double CpuMsPerJob => 1000 * Cpu.Values.Sum() / Jobs;

    public override string ToString() =>
        $"round {Round} {System,-13} {Scenario,-8} {Jobs,7} jobs in {Seconds,5:F1} s = {Rate,7:F0} jobs/s, " +
        $"CPU {CpuMsPerJob:F2} ms/job ({string.Join(", ", Cpu.OrderBy(c => c.Key).Select(c => $"{c.Key} {1000 * c.Value / Jobs:F2}"))}), " +
        $"PostgreSQL per job: commits {(double)Pg.Commits / Jobs:F2}, ins {(double)Pg.Inserted / Jobs:F2}, upd {(double)Pg.Updated / Jobs:F2}, " +
        $"del {(double)Pg.Deleted / Jobs:F2}; lost {Lost}, duplicated {Duplicated}; load {LoadStart} -> {LoadEnd}{(Note.Length > 0 ? "; " + Note : "")}";
}

/// <summary>A system measured side by side: a pipeline (submit while workers run, wait for all) and a drain (a backlog, then workers).</summary>
public interface IPeer
{
    string Name { get; }

    Task<Result> PipelineAsync(int round);

    /// <param name="backlog">Jobs queued before the workers start; the steady window is the 10 %–90 % of them.</param>
    Task<Result> DrainAsync(int round, long backlog);
}
