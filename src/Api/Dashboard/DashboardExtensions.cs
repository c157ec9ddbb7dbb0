using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Platform.Api.Dashboard.Queues;
using Platform.Api.Security;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Api.Dashboard;

public static class DashboardExtensions
{
    /// <summary>The operations dashboard at <c>/dashboard</c>: its login cookie, queries and queue monitor.</summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section)
            .Validate(o => o.Users.All(u => u.Name.Length > 0 && u.PasswordSha256.Length == 64 && u.PasswordSha256.All(Uri.IsHexDigit)),
                "Dashboard:Users need a Name and a 64-digit hex PasswordSha256.")
            .Validate(o => o.Users.All(u => u.Role is DashboardRoles.Admin or DashboardRoles.ReadOnly),
                "Dashboard:Users:N:Role must be admin or readonly.")
            .ValidateOnStart();
        var lifetime = builder.Configuration.GetValue<TimeSpan?>($"{DashboardOptions.Section}:{nameof(DashboardOptions.SessionLifetime)}")
            ?? TimeSpan.FromHours(8);
        services.AddAuthentication().AddCookie(DashboardAccess.Scheme, o =>
        {
            o.Cookie.Name = "platform-dashboard";
            o.Cookie.Path = "/"; // the Hangfire dashboard at /hangfire honours the same login
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = lifetime;
            o.SlidingExpiration = true;
            o.LoginPath = "/dashboard/login";
        });
        // The cookie's keys: one ring in the database for every replica, kept across restarts (DatabaseKeyRing).
        services.AddDataProtection().SetApplicationName("Platform");
        services.AddSingleton<DatabaseKeyRing>();
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseKeyRing>((o, ring) => o.XmlRepository = ring);
        services.AddSingleton<DashboardAccess>();
        services.AddSingleton<DashboardStore>();
        services.AddSingleton<BackupVerification>();
        services.AddSingleton<IQueueMonitor>(sp =>
        {
            var bus = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<BusOptions>>().Value;
            if (!bus.UsesRabbitMq)
            {
                return new InMemoryQueueMonitor(sp.GetRequiredService<Db>(), sp.GetRequiredService<WorkerActivity>(), sp.GetRequiredService<TimeProvider>());
            }
            var (http, vhost) = RabbitMqQueueMonitor.Connect(bus.RabbitMqUri!,
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DashboardOptions>>().Value.RabbitMqManagementUrl);
            return new RabbitMqQueueMonitor(http, vhost, sp.GetRequiredService<JobStore>(), sp.GetRequiredService<ILogger<RabbitMqQueueMonitor>>());
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapDashboardPages();
        app.MapDashboardApi();
        return app;
    }
}
