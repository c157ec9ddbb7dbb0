// Hand-written stand-in for OpenTelemetry.Instrumentation.AspNetCore (not obtainable here): ASP.NET Core starts the request span but tags nothing.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Platform.ServiceDefaults;

/// <summary>Names the request span "<c>METHOD route</c>" and adds the HTTP semantic-convention tags a trace viewer needs.</summary>
public static class RequestSpanTags
{
    public static WebApplication UseRequestSpanTags(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } span)
                {
                    var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                    span.DisplayName = route is null ? context.Request.Method : $"{context.Request.Method} {route}";
                    span.SetTag("http.request.method", context.Request.Method);
                    span.SetTag("url.path", context.Request.Path.Value);
                    span.SetTag("http.route", route);
                    span.SetTag("http.response.status_code", context.Response.StatusCode);
                }
            }
        });
        return app;
    }
}
