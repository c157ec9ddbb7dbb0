using System.Net;
using System.Net.Sockets;
using Platform.Tests.Support;

namespace Platform.Tests.Api;

/// <summary>README's "Choosing the port": the standard ASP.NET Core settings move a real single-process host.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class ListenAddressTests
{
    private string _work = null!;

    [SetUp]
    public void CreateWork() => _work = Directory.CreateTempSubdirectory("platform-port-").FullName;

    [TearDown]
    public void DeleteWork() => TestFolders.Delete(_work);

    private static Dictionary<string, string> Settings(string? key = null, string? value = null)
    {
        var settings = new Dictionary<string, string> { ["Scheduler__Enabled"] = "false" };
        if (key is not null)
        {
            settings[key] = value!;
        }
        return settings;
    }

    [TestCase("ASPNETCORE_URLS")]
    [TestCase("Urls")]
    [TestCase("Kestrel__Endpoints__Http__Url")]
    public async Task Should_listen_where_the_environment_says(string variable)
    {
        var port = HostProcess.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        await using var host = await HostProcess.StartAsync(HostProcess.Standalone, Settings(variable, address.ToString()), _work, [], address);

        using var http = new HttpClient { BaseAddress = address };
        Assert.That((await http.GetAsync("health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Should_listen_where_the_command_line_says_even_when_the_environment_says_otherwise()
    {
        var port = HostProcess.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        await using var host = await HostProcess.StartAsync(HostProcess.Standalone,
            Settings("ASPNETCORE_URLS", $"http://127.0.0.1:{HostProcess.FreePort()}"), _work, ["--urls", address.ToString()], address);

        using var http = new HttpClient { BaseAddress = address };
        Assert.That((await http.GetAsync("health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Should_exit_non_zero_with_one_clear_line_and_no_stack_trace_when_the_port_is_taken()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var (exitCode, output) = await HostProcess.RunToExitAsync(HostProcess.Standalone, Settings("ASPNETCORE_URLS", $"http://127.0.0.1:{port}"),
            _work, [], TimeSpan.FromSeconds(60));

        Assert.That(exitCode, Is.Not.Zero, output);
        var lines = output.Split('\n').Where(l => l.Contains("in use", StringComparison.Ordinal)).ToList();
        Assert.That(lines, Has.Count.EqualTo(1), output);
        Assert.That(lines[0], Does.Contain($"http://127.0.0.1:{port}").And.Contain("ASPNETCORE_URLS"));
        Assert.That(output, Does.Not.Contain("   at ").And.Not.Contain("Unhandled exception"), "no stack trace");
    }
}
