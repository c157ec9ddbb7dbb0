using System.Globalization;

namespace Platform.Bench.Peers;

/// <summary>The run's summary: per system and scenario, medians over the rounds, and the platform's ratios to each.</summary>
public static class Table
{
    public static string Markdown(IReadOnlyList<Result> results)
    {
        var lines = new List<string>
        {
            "| scenario | system | rounds | jobs/s (median) | CPU ms/job (median) | by process (medians, ms/job) | PG commits / ins / upd / del per job | lost / duplicated (all rounds) | platform's rate ÷ this | this CPU ÷ platform's | load at start of each round |",
            "| --- | --- | ---: | ---: | ---: | --- | --- | --- | ---: | ---: | --- |",
        };
        foreach (var scenario in results.GroupBy(r => r.Scenario))
        {
            var platform = scenario.Where(r => r.System == "platform").ToList();
            foreach (var system in scenario.GroupBy(r => r.System))
            {
                var rs = system.ToList();
                var processes = rs.SelectMany(r => r.Cpu.Keys).Distinct().Order()
                    .Select(k => $"{k} {Median(rs.Select(r => 1000 * r.Cpu.GetValueOrDefault(k) / r.Jobs)):F2}");
                var rate = Median(rs.Select(r => r.Rate));
                var cpu = Median(rs.Select(r => r.CpuMsPerJob));
                var ratios = platform.Count == 0 || system.Key == "platform" ? ("", "")
                    : (F(Median(platform.Select(p => p.Rate)) / rate), F(cpu / Median(platform.Select(p => p.CpuMsPerJob))));
                lines.Add($"| {scenario.Key} | {system.Key} | {rs.Count} | {rate:F0} | {cpu:F2} | {string.Join(", ", processes)} | " +
                    $"{Per(rs, r => r.Pg.Commits)} / {Per(rs, r => r.Pg.Inserted)} / {Per(rs, r => r.Pg.Updated)} / {Per(rs, r => r.Pg.Deleted)} | " +
                    $"{rs.Sum(r => r.Lost)} / {rs.Sum(r => r.Duplicated)} | {ratios.Item1} | {ratios.Item2} | {string.Join("; ", rs.Select(r => r.LoadStart.Split(' ')[0]))} |");
            }
        }
        return string.Join('\n', lines);
    }

    private static string Per(List<Result> rs, Func<Result, long> value) => Median(rs.Select(r => (double)value(r) / r.Jobs)).ToString("F2", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
