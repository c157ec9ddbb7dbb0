using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Jobs;

namespace Platform.Tests.Reliability;

public sealed class BusOptionsTests
{
    private static BusOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<BusOptions>().BindConfiguration(BusOptions.Section).ValidateDataAnnotations();
        return services.BuildServiceProvider().GetRequiredService<IOptions<BusOptions>>().Value;
    }

    [Test]
    public void Should_accept_the_defaults_and_a_consistent_watchdog()
    {
        Assert.That(Bind().WatchdogLiveAfter, Is.EqualTo(TimeSpan.FromMinutes(2)));
        Assert.That(Bind(("Bus:WatchdogReadyAfter", "00:00:10"), ("Bus:WatchdogLiveAfter", "00:00:10")).WatchdogLiveAfter,
            Is.EqualTo(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void Should_refuse_a_watchdog_that_would_restart_a_host_before_taking_it_out_of_traffic()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            Bind(("Bus:WatchdogReadyAfter", "00:01:00"), ("Bus:WatchdogLiveAfter", "00:00:30")));
        Assert.That(error!.Message, Does.Contain("Bus:WatchdogLiveAfter"));
    }

    [TestCase("00:00:00", "Bus:WatchdogInterval")]
    [TestCase("00:01:00", "Bus:WatchdogReadyAfter")]
    public void Should_refuse_a_watchdog_interval_that_is_zero_or_longer_than_the_ready_limit(string interval, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(("Bus:WatchdogInterval", interval)));
        Assert.That(error!.Message, Does.Contain(named));
    }
}
