using Microsoft.AspNetCore.Authentication;

namespace Platform.Api.Dashboard;

/// <summary>The HTML shell, its assets (embedded in the assembly: the dashboard works offline), login and logout.</summary>
public static class DashboardPages
{
    private static readonly Dictionary<string, string> ContentTypes = new()
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8", [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    public static void MapDashboardPages(this IEndpointRouteBuilder app)
    {
        // Routing ignores a trailing slash: this serves both /dashboard and /dashboard/.
        app.MapGet("/dashboard", IndexAsync).ExcludeFromDescription();
        app.MapGet("/dashboard/assets/{name}", (string name) => Asset(name)).ExcludeFromDescription();
        app.MapGet("/dashboard/login", () => Asset("login.html")).ExcludeFromDescription();
        app.MapPost("/dashboard/login", LoginAsync).ExcludeFromDescription();
        app.MapPost("/dashboard/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(DashboardAccess.Scheme);
            return Results.Redirect("/dashboard/login");
        }).ExcludeFromDescription();
    }

    private static async Task<IResult> IndexAsync(HttpContext http, DashboardAccess access) =>
        await access.ResolveAsync(http) is null ? Results.Redirect("/dashboard/login") : Asset("index.html");

    private static async Task<IResult> LoginAsync(HttpContext http, DashboardAccess access, ILogger<DashboardAccess> logger)
    {
        var form = await http.Request.ReadFormAsync();
        var apiKey = form["apiKey"].ToString();
        (string Name, string Role)? who = apiKey.Length > 0
            ? access.CheckApiKey(apiKey)
            : access.CheckPassword(form["name"].ToString(), form["password"].ToString()) is { } user ? (user.Name, user.Role) : null;
        if (who is not { } ok || ok.Role is not (DashboardRoles.Admin or DashboardRoles.ReadOnly))
        {
            logger.LogWarning("Dashboard login refused for {Name} from {Address}", form["name"].ToString(), http.Connection.RemoteIpAddress);
            return Results.Redirect("/dashboard/login?failed=1");
        }
        await DashboardAccess.SignInAsync(http, ok.Name, ok.Role);
        logger.LogInformation("Dashboard login: {Name} as {Role}", ok.Name, ok.Role);
        return Results.Redirect("/dashboard/");
    }

    private static IResult Asset(string name)
    {
        var stream = typeof(DashboardPages).Assembly.GetManifestResourceStream("dashboard/" + name);
        if (stream is null || !ContentTypes.TryGetValue(Path.GetExtension(name), out var type))
        {
            stream?.Dispose();
            return Results.NotFound();
        }
        return Results.Stream(stream, type);
    }
}
