using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Platform.Api.Endpoints;

/// <summary>
/// A request the framework could not bind (a JSON field of the wrong type, an unknown <c>mode</c>, a query parameter that
/// is not a number) as a validation problem: <c>errors</c> names the field and says what it accepts, taken from the
/// endpoint's own parameter and body types so the message and the OpenAPI document cannot disagree.
/// </summary>
public static partial class BindingProblems
{
    public static IResult? From(BadHttpRequestException exception, HttpContext context)
    {
        if (exception.StatusCode != StatusCodes.Status400BadRequest)
        {
            return null;
        }
        var errors = new Dictionary<string, string[]>();
        // The exception handler runs with the endpoint cleared; the feature keeps the one that failed.
        var endpoint = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        if (exception.InnerException is JsonException json)
        {
            var bodyType = endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
            var (field, type) = Resolve(bodyType, json.Path);
            if (json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) && type is not null)
            {
                errors[field] = [$"Expected {Describe(type)}."];
            }
            else
            {
                errors["body"] = [$"Malformed JSON{(json.Path is { Length: > 1 } at ? $" at {at}" : "")}: send one JSON object."];
            }
        }
        else if (BindFailure().Match(exception.Message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            var parameter = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name);
            var expected = parameter is not null ? Describe(parameter.ParameterType) : DescribeTypeName(bind.Groups["type"].Value);
            errors[name] = [$"Expected {expected}; got '{bind.Groups["value"].Value}'."];
        }
        else if (MissingBody().IsMatch(exception.Message))
        {
            errors["body"] = ["A JSON object is required (Content-Type: application/json)."];
        }
        else
        {
            return null;
        }
        return Results.ValidationProblem(errors, type: "https://platform.dev/problems/invalid-request");
    }

    /// <summary>The JSON path's field name in camelCase (as sent) and the CLR type it binds to.</summary>
    private static (string Field, Type? Type) Resolve(Type? root, string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return ("body", root);
        }
        var type = root;
        var names = new List<string>();
        foreach (Match segment in PathSegment().Matches(path))
        {
            if (segment.Groups["index"].Success)
            {
                type = ElementType(type);
                names[^1] += segment.Value;
                continue;
            }
            var name = segment.Groups["name"].Value;
            names.Add(name);
            type = type?.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
        }
        return (names.Count == 0 ? "body" : string.Join('.', names), type);
    }

    private static Type? ElementType(Type? type) =>
        type is null ? null : type.IsArray ? type.GetElementType() : type.GetGenericArguments().FirstOrDefault();

    /// <summary>The framework's C# spelling of a parameter type (<c>Nullable&lt;int&gt;</c>, <c>Guid</c>) in words.</summary>
    private static string DescribeTypeName(string name)
    {
        var bare = name.StartsWith("Nullable<", StringComparison.Ordinal) ? name[9..^1] : name.TrimEnd('?');
        return bare switch
        {
            "int" or "long" or "Int32" or "Int64" => "a whole number",
            "bool" or "Boolean" => "true or false",
            "Guid" => "a UUID",
            "DateTimeOffset" or "DateTime" => "an ISO 8601 date and time",
            _ => bare,
        };
    }

    public static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsEnum)
        {
            return "one of: " + string.Join(", ", Enum.GetNames(t).Select(JsonNamingPolicy.CamelCase.ConvertName));
        }
        if (t == typeof(int) || t == typeof(long))
        {
            return "a whole number";
        }
        if (t == typeof(bool))
        {
            return "true or false";
        }
        if (t == typeof(Guid))
        {
            return "a UUID";
        }
        if (t == typeof(DateTimeOffset) || t == typeof(DateTime))
        {
            return "an ISO 8601 date and time";
        }
        if (t == typeof(string))
        {
            return "a string";
        }
        if (t != typeof(string) && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)))
        {
            return $"an array of {Describe(ElementType(t) ?? typeof(object)).Replace("one of: ", "values from: ")}";
        }
        return "a JSON object";
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^\"]+) (?<name>[^\"]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    [GeneratedRegex("(Implicit body inferred|Required parameter \"[^\"]+\" was not provided from body)")]
    private static partial Regex MissingBody();

    [GeneratedRegex(@"\.(?<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?<index>\d+)\]|\['(?<name>[^']+)'\]")]
    private static partial Regex PathSegment();
}
