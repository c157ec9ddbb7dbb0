namespace Platform.Workers.Ingest.Chunking;

/// <summary>
/// Finds boilerplate: a sentence a document repeats word for word (a note at the start of every chapter, a running
/// disclaimer). Only its first copy is indexed: the later copies make every chunk they sit in match the note's words and
/// outrank the chapter's real text for any query sharing them (bench/quality: a note on 10 chapters of the Chinese
/// maint-guide took the top 3 of a question about the guide's example program).
/// </summary>
public static class RepeatedSentences
{
    /// <summary>A sentence must hold at least this many letters and digits to count: short ones repeat by nature.</summary>
    public const int MinLength = 12;

    /// <summary>Copies a sentence needs before the later ones are dropped.</summary>
    public const int MinCopies = 3;

    /// <summary>For each sentence in document order (by its text), whether it is a later copy of a repeated sentence.</summary>
    public static bool[] LaterCopies(IReadOnlyList<string> sentences)
    {
        var keys = sentences.Select(Key).ToList();
        var repeated = keys.OfType<string>().GroupBy(k => k).Where(g => g.Count() >= MinCopies).Select(g => g.Key).ToHashSet();
        var seen = new HashSet<string>();
        return keys.Select(k => k is not null && repeated.Contains(k) && !seen.Add(k)).ToArray();
    }

    private static string? Key(string sentence)
    {
        var key = string.Concat(sentence.Where(char.IsLetterOrDigit)).ToLowerInvariant();
        return key.Length >= MinLength ? key : null;
    }
}
