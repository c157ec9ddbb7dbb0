using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.ServiceDefaults;

/// <summary>
/// Where a host listens. The standard ASP.NET Core ways all decide it (<c>--urls</c>, <c>Urls</c> / <c>ASPNETCORE_URLS</c>,
/// <c>ASPNETCORE_HTTP_PORTS</c>, the <c>Kestrel:Endpoints</c> section); the host's own port (8080 for the API) applies only
/// when none is given. So no appsettings.json sets <c>Urls</c>: it would outrank <c>ASPNETCORE_URLS</c>.
/// </summary>
public static class ListenAddresses
{
    public static void ApplyDefaultPort(WebApplicationBuilder builder, int port)
    {
        var config = builder.Configuration;
        if (string.IsNullOrEmpty(config[WebHostDefaults.ServerUrlsKey]) && string.IsNullOrEmpty(config[WebHostDefaults.HttpPortsKey])
            && string.IsNullOrEmpty(config[WebHostDefaults.HttpsPortsKey]) && !config.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls($"http://0.0.0.0:{port}");
        }
    }

    /// <summary>
    /// Runs the host; a port another program holds ends it with one log line and exit code 1 instead of a stack trace.
    /// The ports are tried before the server starts (Kestrel's own failure would also be logged with its stack trace).
    /// </summary>
    public static int RunPlatform(this WebApplication app)
    {
        // Only Kestrel binds ports; a test server (WebApplicationFactory) runs this program without listening anywhere.
        var kestrel = app.Services.GetService<IServer>()?.GetType().FullName?.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) == true;
        if (kestrel && FirstTaken(app.Configuration) is { } taken)
        {
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Platform.Hosting").LogCritical(
                "Cannot listen on {Address}: the port is in use by another program. Choose another port with --urls, " +
                "ASPNETCORE_URLS or the Kestrel:Endpoints section.", taken);
            ((IDisposable)app).Dispose(); // flushes the log
            return Environment.ExitCode = 1;
        }
        try
        {
            app.Run();
            return Environment.ExitCode;
        }
        catch (IOException ex) when (ex.InnerException is AddressInUseException)
        {
            // Taken between the check and the start: the host (and its logger) is already disposed.
            Console.Error.WriteLine($"Cannot listen: {ex.Message} Choose another port with --urls, ASPNETCORE_URLS or the Kestrel:Endpoints section.");
            return Environment.ExitCode = 1;
        }
    }

    /// <summary>The first configured address whose port cannot be bound; null when all are free or the Kestrel section decides.</summary>
    private static string? FirstTaken(IConfiguration config)
    {
        if (config.GetSection("Kestrel:Endpoints").Exists() || config[WebHostDefaults.ServerUrlsKey] is not { Length: > 0 } urls)
        {
            return null;
        }
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!BindingAddress.TryParse(url, out var host, out var port) || port == 0)
            {
                continue;
            }
            try
            {
                using var probe = new Socket(host.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(host, port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return url;
            }
            catch (SocketException)
            {
                // Not ours to judge (an address this machine lacks, no permission): Kestrel reports it.
            }
        }
        return null;
    }

    private static class BindingAddress
    {
        public static bool TryParse(string url, out IPAddress host, out int port)
        {
            host = IPAddress.Any;
            port = 0;
            var normalised = url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalised, UriKind.Absolute, out var uri))
            {
                return false;
            }
            port = uri.Port;
            host = uri.Host == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip : IPAddress.Any;
            return true;
        }
    }
}
