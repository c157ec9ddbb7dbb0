using System.Globalization;

namespace Platform.Bench.Throughput;

/// <summary>
/// CPU time (user + system) of groups of processes from /proc: the platform hosts by pid, PostgreSQL and RabbitMQ by
/// command name. A snapshot before and after a measured window gives where the machine's cores went.
/// </summary>
public static class CpuUsage
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The host processes given, plus every PostgreSQL, RabbitMQ and Redis process that exists now.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<int>> Groups(IReadOnlyDictionary<string, IReadOnlyList<int>> hosts) =>
        new Dictionary<string, IReadOnlyList<int>>(hosts)
        {
            ["postgresql"] = ByName("postgres"),
            ["rabbitmq"] = ByName("beam.smp"),
            ["redis"] = ByName("redis-server"),
        };

    /// <summary>CPU seconds used so far per process of the groups.</summary>
    public static Dictionary<int, double> Snapshot(IReadOnlyDictionary<string, IReadOnlyList<int>> groups)
    {
        var result = new Dictionary<int, double>();
        foreach (var pid in groups.Values.SelectMany(p => p))
        {
            if (Seconds(pid) is { } seconds)
            {
                result[pid] = seconds;
            }
        }
        return result;
    }

    /// <summary>
    /// CPU seconds each group used since <paramref name="before"/>. The groups are taken again now, so a database
    /// backend started in between (a new pooled connection) counts from zero instead of being missed.
    /// </summary>
    public static Dictionary<string, double> Delta(IReadOnlyDictionary<string, IReadOnlyList<int>> hosts, Dictionary<int, double> before)
    {
        var groups = Groups(hosts);
        var now = Snapshot(groups);
        return groups.ToDictionary(g => g.Key, g => g.Value.Sum(pid => now.GetValueOrDefault(pid) - before.GetValueOrDefault(pid)));
    }

    public static IReadOnlyList<int> ByName(string name) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1)
            .Where(pid => pid > 0 && Comm(pid) == name)];

    private static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double? Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may contain spaces, so split after its closing parenthesis).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var user = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var system = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (user + system) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
