using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Platform.Jobs;

public static class JobEngineExtensions
{
    /// <summary>
    /// The job engine of a host that runs or sends work: job and bus options, the runner that gives every consumer its
    /// lease and outcome, this process's worker heartbeat, and the backlog gauges. The bus itself comes with
    /// <see cref="BusExtensions.AddPlatformBus"/>, after <c>AddPlatformData</c>.
    /// </summary>
    public static IHostApplicationBuilder AddJobEngine(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BusOptions>().BindConfiguration(BusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var grace = builder.Configuration.GetSection(JobOptions.Section).Get<JobOptions>()?.ShutdownGracePeriod ?? new JobOptions().ShutdownGracePeriod;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = grace + TimeSpan.FromSeconds(10));
        services.AddSingleton<JobRunner>();
        services.AddWorkerHeartbeat();
        services.AddSingleton<BacklogGauges>();
        services.AddHostedService(sp => sp.GetRequiredService<BacklogGauges>());
        return builder;
    }
}
