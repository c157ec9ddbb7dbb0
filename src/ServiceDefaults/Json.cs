using System.Text.Json;

namespace Platform.ServiceDefaults;

/// <summary>The one JSON shape used for stored inputs and results: camelCase, like the REST API.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Options);
}
