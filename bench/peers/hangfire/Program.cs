// The Hangfire.PostgreSql peer of bench/peers, as a C# team would run it: a client process enqueues fire-and-forget
// jobs (BackgroundJobClient), a separate server process (BackgroundJobServer) runs them. The job does nothing but note
// its number, so the orchestrator can count lost and duplicated executions.
//   enqueue CONNECTION FROM COUNT CONCURRENCY
//   server  CONNECTION WORKERS POLL_MS EXECUTIONS_FILE      (runs until SIGTERM, then writes the numbers it ran)
using System.Globalization;
using System.Runtime.InteropServices;
using Hangfire;
using Hangfire.PostgreSql;

var mode = args[0];
var options = new PostgreSqlStorageOptions
    {
        // The queue is polled only when a worker found it empty; a short interval keeps idle workers from sleeping
        // through arriving jobs (the default is 15 s).
        QueuePollInterval = TimeSpan.FromMilliseconds(mode == "server" ? Int(3) : 1000),
        PrepareSchemaIfNecessary = true,
        // LISTEN/NOTIFY wakes a polling worker when a job is enqueued, instead of waiting out the interval.
        EnableLongPolling = true,
    };
GlobalConfiguration.Configuration
    .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
    .UseSimpleAssemblyNameTypeSerializer()
    .UseRecommendedSerializerSettings()
    .UsePostgreSqlStorage(c => c.UseNpgsqlConnection(args[1]), options);
var storage = JobStorage.Current;

if (mode == "enqueue")
{
    var client = new BackgroundJobClient(storage);
    var cpuStart = Environment.CpuUsage.TotalTime.TotalSeconds;
    var next = Int(2) - 1;
    var last = Int(2) + Int(3) - 1;
    var threads = Enumerable.Range(0, Int(4)).Select(_ => new Thread(() =>
    {
        int n;
        while ((n = Interlocked.Increment(ref next)) <= last)
        {
            client.Enqueue(() => NoOp.Run(n));
        }
    })).ToList();
    threads.ForEach(t => t.Start());
    threads.ForEach(t => t.Join());
    // For the orchestrator: CPU spent enqueueing, start-up excluded (it cannot read /proc of an exited process).
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cpu {cpuStart:F3} {Environment.CpuUsage.TotalTime.TotalSeconds:F3}"));
    return;
}

var stop = new ManualResetEventSlim();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Set();
});
using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = Int(2) }, storage))
{
    Console.WriteLine("ready");
    stop.Wait();
}
NoOp.Write(args[4]);

int Int(int index) => int.Parse(args[index], CultureInfo.InvariantCulture);

public static class NoOp
{
    private static readonly List<int> Ran = [];

    public static void Run(int number)
    {
        lock (Ran)
        {
            Ran.Add(number);
        }
    }

    public static void Write(string path)
    {
        lock (Ran)
        {
            File.WriteAllLines(path, Ran.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
