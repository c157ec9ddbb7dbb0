using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Platform.Messages;
using Platform.ServiceDefaults;

namespace Platform.Jobs;

public static class BusExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ when <c>Bus:RabbitMqUri</c> is set, otherwise the in-memory transport (single process).
    /// Commands go to their fixed queues (<see cref="QueueNames"/>); sending declares the queue, so a command sent
    /// before any worker ever ran waits there.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformBus(this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? addConsumers = null)
    {
        var options = builder.Configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        var grace = (builder.Configuration.GetSection(JobOptions.Section).Get<JobOptions>() ?? new JobOptions()).ShutdownGracePeriod;
        MapCommandQueues();
        // On stop: in-flight consumers get the grace period to finish; then their token fires and JobRunner hands
        // the job back (queued) before the message returns to the broker. The host waits a little longer for that.
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.ConsumerStopTimeout = grace;
            o.StopTimeout = grace + TimeSpan.FromSeconds(5);
        });
        builder.Services.AddSingleton<BusWatchdog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BusWatchdog>());
        builder.Services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<BusWatchdog>());
        builder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration("bus-watchdog", sp => ActivatorUtilities.CreateInstance<BusWatchdog.Check>(sp, false),
                null, [HealthTags.Ready]))
            .Add(new HealthCheckRegistration("bus-watchdog-live", sp => ActivatorUtilities.CreateInstance<BusWatchdog.Check>(sp, true),
                null, [HealthTags.Live]));
        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry(); // 8.5 otherwise reports to a vendor endpoint: nothing leaves the deployment unasked
            if (addConsumers is not null)
            {
                addConsumers(x);
                x.AddConsumer<RunProbeConsumer, RunProbeConsumerDefinition>(); // every process that consumes answers probes
            }
            if (options.UsesRabbitMq)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    var uri = new Uri(options.RabbitMqUri!);
                    var (user, password) = Credentials(uri);
                    var vhost = uri.AbsolutePath is "" or "/" ? "/" : Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
                    cfg.Host(uri.Host, (ushort)(uri.IsDefaultPort ? 5672 : uri.Port), vhost, h =>
                    {
                        h.Username(user);
                        h.Password(password);
                    });
                    cfg.PrefetchCount = options.PrefetchCount;
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        return builder;
    }

    /// <summary>Retry with exponential backoff and jitter; what remains failing goes to the <c>_error</c> queue.</summary>
    public static void UsePlatformRetry(this IReceiveEndpointConfigurator endpoint, BusOptions options)
    {
        if (options.RetryLimit == 0)
        {
            return;
        }
        endpoint.UseMessageRetry(r => r.Exponential(options.RetryLimit, options.RetryInitialDelay,
            options.RetryInitialDelay * Math.Pow(2, options.RetryLimit), options.RetryInitialDelay));
    }

    /// <summary>Maps each command to its fixed queue (<see cref="QueueNames"/>), so <c>Send</c> needs no address.</summary>
    public static void MapCommandQueues()
    {
        Map<ParseDocument>(QueueNames.ParseDocument);
        Map<EmbedDocument>(QueueNames.EmbedDocument);
        Map<GenerateAnswer>(QueueNames.GenerateAnswer);
        Map<BackupDatabase>(QueueNames.BackupDatabase);
        Map<ApplyBackupRetention>(QueueNames.ApplyBackupRetention);
        Map<VerifyBackup>(QueueNames.VerifyBackup);
        Map<RunProbe>(QueueNames.RunProbe);
    }

    private static void Map<T>(string queue) where T : class
    {
        // EndpointConvention is process-wide and refuses a second mapping; every host maps the same queues.
        if (!EndpointConvention.TryGetDestinationAddress<T>(out _))
        {
            EndpointConvention.Map<T>(new Uri($"queue:{queue}"));
        }
    }

    private static (string User, string Password) Credentials(Uri uri)
    {
        var parts = uri.UserInfo.Split(':', 2);
        return parts[0].Length == 0
            ? ("guest", "guest")
            : (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }
}
