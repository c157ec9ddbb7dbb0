using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Bench.Quality;

/// <summary>
/// One labelled question. Answerable ones name the file, optionally the page (PDF) the answer is on, a string the right
/// passage contains, and the fact the answer must carry (defaults to the passage string). Unanswerable ones expect "not found".
/// </summary>
public sealed record Question
{
    public string Id { get; init; } = "";
    public string Lang { get; init; } = "en";
    [JsonPropertyName("q")] public string Text { get; init; } = "";
    public string? File { get; init; }
    public int? Page { get; init; }
    public string? Passage { get; init; }
    public string? Fact { get; init; }
    public bool Unanswerable { get; init; }

    public string ExpectedFact => Fact ?? Passage ?? "";

    public static IReadOnlyList<Question> Load(string path) =>
        JsonSerializer.Deserialize<List<Question>>(System.IO.File.ReadAllText(path),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip })!;
}

public static class Text
{
    /// <summary>Compatibility-folded, lower-cased, without white space: PDF line breaks and spacing do not decide a match.</summary>
    public static string Normalise(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s.Normalize(NormalizationForm.FormKC))
        {
            if (!char.IsWhiteSpace(ch))
            {
                sb.Append(char.ToLowerInvariant(ch));
            }
        }
        return sb.ToString();
    }

    public static bool Contains(string haystack, string needle) => Normalise(haystack).Contains(Normalise(needle), StringComparison.Ordinal);

    public static bool HasCjk(string s) => s.Any(c => c is >= '\u4E00' and <= '\u9FFF');

    public static string Ms(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture);
}
