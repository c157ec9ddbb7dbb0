namespace Platform.Tests.Chaos;

/// <summary>
/// Sizes of the chaos runs. CI runs the short defaults; scripts/chaos.sh runs the long versions by setting
/// PLATFORM_CHAOS_JOBS, PLATFORM_CHAOS_KILLS, PLATFORM_CHAOS_ROUNDS, PLATFORM_CHAOS_BROKER_DROPS (forced-close rounds),
/// PLATFORM_CHAOS_BROKER_RESTARTS and PLATFORM_FUZZ_REQUESTS.
/// </summary>
public static class ChaosSettings
{
    public static int Jobs => Read("PLATFORM_CHAOS_JOBS", 40);
    public static int Kills => Read("PLATFORM_CHAOS_KILLS", 4);
    public static int Rounds => Read("PLATFORM_CHAOS_ROUNDS", 1);
    public static int FuzzRequests => Read("PLATFORM_FUZZ_REQUESTS", 600);
    public static int BrokerDrops => Read("PLATFORM_CHAOS_BROKER_DROPS", 3);
    public static int BrokerRestarts => Read("PLATFORM_CHAOS_BROKER_RESTARTS", 1);

    /// <summary>Writes the run's one-line summary to the test log and to artifacts/chaos/, where scripts/chaos.sh collects it.</summary>
    public static void Report(string name, string summary)
    {
        TestContext.Out.WriteLine($"{name}: {summary}");
        var folder = Path.Combine(Support.RepoPaths.Root, "artifacts", "chaos");
        Directory.CreateDirectory(folder);
        File.AppendAllText(Path.Combine(folder, "summary.txt"), $"{DateTimeOffset.UtcNow:O} {name}: {summary}\n");
    }

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;
}
