using Scalar.AspNetCore;

namespace Platform.Api.Endpoints;

/// <summary>
/// The browsable API reference at <c>/scalar</c>, drawn from <c>/openapi/v1.json</c>. It must work offline and send
/// nothing out: the script comes from the package itself, and the parts that call outside (AI chat "Ask AI", the
/// developer toolbar with "Deploy", MCP, telemetry, fonts from a CDN) are switched off.
/// </summary>
public static class ApiReference
{
    public static void MapApiReference(this WebApplication app) =>
        app.MapScalarApiReference(o => o
            .WithTitle("Platform API")
            .DisableAgent()
            .DisableMcp()
            .DisableTelemetry()
            .DisableDefaultFonts()
            .HideDeveloperTools()
            .HideClientButton());
}
