using Hangfire;
using Hangfire.Dashboard;
using Platform.Api.Dashboard;

namespace Platform.Api.Scheduling;

/// <summary>
/// Hangfire's own dashboard at <c>/hangfire</c> on every replica, behind the operations dashboard's login: admins
/// (users and admin-scoped API keys) act, read-only callers look, anyone else is sent to the login (401 for a script).
/// It links back to <c>/dashboard</c>, which links here.
/// </summary>
public static class HangfireDashboard
{
    public const string Path = "/hangfire";

    private static int _menuAdded;

    public static IEndpointRouteBuilder MapPlatformHangfireDashboard(this IEndpointRouteBuilder app)
    {
        if (Interlocked.Exchange(ref _menuAdded, 1) == 0) // Hangfire's menu is static: once per process, not per app
        {
            NavigationMenu.Items.Add(_ => new MenuItem("Operations dashboard", "/dashboard/") { Active = false });
        }
        app.MapHangfireDashboard(Path, new Hangfire.DashboardOptions
        {
            AppPath = "/dashboard/",
            DashboardTitle = "Platform · Hangfire",
            DisplayStorageConnectionString = false,
            Authorization = [],
            AsyncAuthorization = [new CallerFilter()],
            IsReadOnlyFunc = context => context.GetHttpContext().Items[typeof(DashboardCaller)] is not DashboardCaller { CanAct: true },
        });
        return app;
    }

    /// <summary>
    /// Refuses a caller without a login before Hangfire sees the request: a browser is sent to the login, anything else
    /// gets 401 (Hangfire alone would answer 403 when the API itself is open).
    /// </summary>
    public static IApplicationBuilder UseHangfireLogin(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments(Path)
                && await http.RequestServices.GetRequiredService<DashboardAccess>().ResolveAsync(http) is null)
            {
                var browser = HttpMethods.IsGet(http.Request.Method) && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal);
                if (browser)
                {
                    http.Response.Redirect("/dashboard/login");
                }
                else
                {
                    http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                }
                return;
            }
            await next(http);
        });

    private sealed class CallerFilter : IDashboardAsyncAuthorizationFilter
    {
        public async Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            if (await http.RequestServices.GetRequiredService<DashboardAccess>().ResolveAsync(http) is not { } caller)
            {
                return false;
            }
            http.Items[typeof(DashboardCaller)] = caller;
            return true;
        }
    }
}
