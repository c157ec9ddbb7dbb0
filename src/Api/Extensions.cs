using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Platform.Api.Auth;
using Platform.Api.Dashboard;
using Platform.Api.Endpoints;
using Platform.Api.Scheduling;
using Platform.Api.Security;
using Platform.Jobs;
using Platform.Redis;

namespace Platform.Api;

public static class Extensions
{
    public static IHostApplicationBuilder AddPlatformApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddApiKeyVerifier();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        // JSON bodies are small; the upload endpoint raises the limit for itself.
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = 1024 * 1024);
        services.AddOpenApi();
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Scopes.Submit, p => p.RequireClaim(Scopes.ClaimType, Scopes.Submit, Scopes.Admin))
            .AddPolicy(Scopes.Read, p => p.RequireClaim(Scopes.ClaimType, Scopes.Read, Scopes.Submit, Scopes.Admin))
            .AddPolicy(Scopes.Delete, p => p.RequireClaim(Scopes.ClaimType, Scopes.Delete, Scopes.Admin))
            .AddPolicy(Scopes.Admin, p => p.RequireClaim(Scopes.ClaimType, Scopes.Admin));
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = long.MaxValue); // the upload endpoint enforces its own limit
        services.AddExceptionHandler<ServiceUnavailableHandler>();
        // Binding failures reach the exception handler, which names the field and what it accepts (BindingProblems).
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IRateCounter>(sp => sp.GetRequiredService<RedisConnection>().Configured
            ? ActivatorUtilities.CreateInstance<RedisRateCounter>(sp)
            : new InMemoryRateCounter());
        services.AddJobSubmission();
        services.AddSingleton<DocumentDeletion>();
        services.AddHostedService<DispatchSweeper>();
        services.AddAntiforgery(); // Hangfire's dashboard then puts a token in its pages and checks it on every POST
        builder.AddPlatformScheduler();
        builder.AddDashboard();
        return builder;
    }

    public static WebApplication UsePlatformApi(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseAuthorization();
        app.UseHangfireLogin();
        return app;
    }

    public static WebApplication MapPlatformApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapApiReference();
        var api = app.MapGroup("/api/v1");
        api.MapDocumentEndpoints();
        api.MapJobEndpoints();
        api.MapSearchEndpoints();
        api.MapAnswerEndpoints();
        api.MapGraphEndpoints();
        api.MapBackupEndpoints();
        app.MapDashboard();
        app.MapPlatformHangfireDashboard();
        return app;
    }
}
