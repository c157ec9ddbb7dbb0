using System.Text;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// Hand-written (the known fixer, ftfy, is Python; nothing in NuGet): undoes UTF-8 text that was decoded as Windows-1252 or
/// Latin-1 and saved again ("ä¸­æ–‡" for "中文", "cafÃ©" for "café"). A UTF-8 multi-byte character is only bytes ≥ 0x80, so
/// the damage sits in runs of non-ASCII characters; each run is turned back into the bytes those encodings gave and decoded
/// as strict UTF-8. A run is repaired only when that succeeds and gives characters of real scripts: genuine accented text
/// ("é" alone is byte E9, not valid UTF-8; "ß“" would decode to an N'Ko letter) is left as it is.
/// </summary>
public static class Mojibake
{
    // Windows-1252's characters for bytes 0x80–0x9F; its five undefined bytes pass through as C1 controls (as Windows and Latin-1 do).
    private const string Cp1252High = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>The text with every reversible run repaired, and how many characters of the input were in repaired runs.</summary>
    public static (string Text, int RepairedChars) Repair(string text)
    {
        if (!text.Any(c => c >= 0xC2 && c <= 0xF4))
        {
            return (text, 0); // no character that could be a UTF-8 lead byte
        }
        var result = new StringBuilder(text.Length);
        var repaired = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (ByteOf(text[i]) is null)
            {
                result.Append(text[i++]);
                continue;
            }
            var start = i;
            while (i < text.Length && ByteOf(text[i]) is not null)
            {
                i++;
            }
            var run = text[start..i];
            if (TryDecode(run) is { } fixedRun)
            {
                result.Append(fixedRun);
                repaired += run.Length;
            }
            else
            {
                result.Append(run);
            }
        }
        return (result.ToString(), repaired);
    }

    /// <summary>The byte a Windows-1252/Latin-1 decoder turned into <paramref name="c"/>, for non-ASCII c; null otherwise.</summary>
    private static byte? ByteOf(char c)
    {
        if (c is >= '\u00A0' and <= '\u00FF')
        {
            return (byte)c;
        }
        var high = Cp1252High.IndexOf(c);
        return high >= 0 ? (byte)(0x80 + high) : c is >= '\u0080' and <= '\u009F' ? (byte)c : null;
    }

    private static string? TryDecode(string run)
    {
        var bytes = run.Select(c => ByteOf(c)!.Value).ToArray();
        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        return decoded != run && decoded.All(Plausible) ? decoded : null;
    }

    /// <summary>Characters of scripts and symbols real text uses; not controls, private use or rare historic scripts.</summary>
    private static bool Plausible(char c) =>
        c is >= '\u00A0' and <= '\u024F' // Latin-1 supplement, Latin extended A/B
            or >= '\u0370' and <= '\u052F' // Greek, Cyrillic
            or >= '\u0590' and <= '\u06FF' // Hebrew, Arabic
            or >= '\u0E00' and <= '\u0E7F' // Thai
            or >= '\u1E00' and <= '\u1EFF' // Latin extended additional (Vietnamese)
            or >= '\u2000' and <= '\u2BFF' // punctuation, currency, arrows, maths, box drawing, symbols
            or >= '\u2E80' and <= '\u9FFF' // CJK radicals, punctuation, kana, Hangul jamo, CJK ideographs
            or >= '\uAC00' and <= '\uD7AF' // Hangul syllables
            or >= '\uD800' and <= '\uDFFF' // surrogates: emoji and rare CJK outside the BMP
            or >= '\uF900' and <= '\uFAFF' // CJK compatibility ideographs
            or >= '\uFE30' and <= '\uFE4F' // CJK compatibility forms
            or >= '\uFF00' and <= '\uFFEF'; // full-width forms
}
