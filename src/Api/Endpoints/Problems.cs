namespace Platform.Api.Endpoints;

/// <summary>The API's errors, all application/problem+json with a stable <c>type</c> an integration can match.</summary>
public static class Problems
{
    public static IResult NotFound(string what, Guid id) =>
        Results.Problem(statusCode: 404, title: $"{what} not found", detail: $"No {what.ToLowerInvariant()} {id} exists for this tenant.",
            type: "https://platform.dev/problems/not-found");

    public static IResult Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>400 with <c>errors</c>: each bad field and what it accepts.</summary>
    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, type: "https://platform.dev/problems/invalid-request");

    public static IResult Status(int status, string title, string detail, string code) =>
        Results.Problem(statusCode: status, title: title, detail: detail, type: $"https://platform.dev/problems/{code}");
}
