using System.Text;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// Decodes text files by their bytes, never by their name: a BOM when present; UTF-16 without a BOM from where the
/// zero bytes fall; else strict UTF-8; else the Chinese legacy encoding (GB18030, a superset of GBK and GB2312, or
/// Big5) whose strict decoding succeeds and reads most like Chinese (share of the most common characters); else, when
/// neither reads like Chinese and the bytes have the shape of accented Western words, Windows-1252 (a superset of Latin-1).
/// </summary>
public static class TextDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // The most frequent characters of written Chinese, in simplified and in traditional form; the shared ones count for both.
    private const string CommonSimplified = "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加";
    private const string CommonTraditional = "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過發後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本前開但因只從想實日者意無力它與長把機十民第公此已工使情明性知全三又關點正業外將兩高間由問很最重並物手應戰向頭文體政美相見被利什二等產或新己製身果加";

    public static string Decode(byte[] bytes) => Detect(bytes).GetString(bytes, Preamble(bytes), bytes.Length - Preamble(bytes));

    /// <summary>The encoding of <paramref name="bytes"/> (its BOM, if any, is not part of the text).</summary>
    public static Encoding Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return StrictUtf8;
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode;
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode;
        }
        if (Utf16Parity(bytes) is { } bigEndian)
        {
            return bigEndian ? Encoding.BigEndianUnicode : Encoding.Unicode;
        }
        if (IsValid(StrictUtf8, bytes))
        {
            return StrictUtf8;
        }
        var gbText = TryDecode(Strict("GB18030"), bytes);
        var big5Text = TryDecode(Strict("big5"), bytes);
        var chinese = Math.Max(gbText is null ? 0 : Score(gbText, CommonSimplified), big5Text is null ? 0 : Score(big5Text, CommonTraditional));
        if (chinese < 0.15 && LatinShape(Windows1252.GetString(bytes)) >= 0.5)
        {
            return Windows1252; // Western European text (café, Größe, niño): its bytes read as Chinese give rare characters, or nothing
        }
        if (big5Text is null)
        {
            return Encoding.GetEncoding("GB18030");
        }
        if (gbText is null)
        {
            return Encoding.GetEncoding("big5");
        }
        return Score(big5Text, CommonTraditional) > Score(gbText, CommonSimplified) ? Encoding.GetEncoding("big5") : Encoding.GetEncoding("GB18030");
    }

    private static Encoding Windows1252 => Encoding.GetEncoding(1252);

    /// <summary>
    /// The share of non-ASCII characters that are letters next to an ASCII letter, as accented letters sit inside Western
    /// words (Größe); Chinese bytes read as Windows-1252 give runs of symbols and letters next to each other instead.
    /// </summary>
    private static double LatinShape(string text)
    {
        int high = 0, inWords = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] < 0x80)
            {
                continue;
            }
            high++;
            if (char.IsLetter(text[i]) && (i > 0 && char.IsAsciiLetter(text[i - 1]) || i + 1 < text.Length && char.IsAsciiLetter(text[i + 1])))
            {
                inWords++;
            }
        }
        return high == 0 ? 0 : (double)inWords / high;
    }

    /// <summary>A tolerant decoding of the first bytes, for sniffing only (a cut multi-byte character at the end is fine).</summary>
    public static string DecodeHead(ReadOnlySpan<byte> head)
    {
        var encoding = Detect(head.Length > 16 ? head[..^8] : head);
        var tolerant = Encoding.GetEncoding(encoding.CodePage);
        var skip = Preamble(head);
        return tolerant.GetString(head[skip..]);
    }

    /// <summary>Text has a BOM, or is UTF-16 by its zero bytes, or has no NUL bytes and few control characters.</summary>
    public static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return true;
        }
        if (Utf16Parity(head) is not null)
        {
            return true;
        }
        var control = 0;
        foreach (var b in head)
        {
            if (b == 0)
            {
                return false;
            }
            if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t' and not 0x0C and not 0x1B)
            {
                control++;
            }
        }
        return control <= head.Length / 100;
    }

    private static int Preamble(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3
        : bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? 2 : 0;

    /// <summary>
    /// UTF-16 text without a BOM: ASCII and CJK punctuation put zero bytes at one parity only. Null when not UTF-16,
    /// else whether it is big-endian. Checked by decoding strictly, so binary data with zeros does not pass.
    /// </summary>
    private static bool? Utf16Parity(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4)
        {
            return null;
        }
        int even = 0, odd = 0;
        for (var i = 0; i + 1 < bytes.Length; i += 2)
        {
            even += bytes[i] == 0 ? 1 : 0;
            odd += bytes[i + 1] == 0 ? 1 : 0;
        }
        var pairs = bytes.Length / 2;
        bool? bigEndian = odd * 10 >= pairs && even * 20 <= odd ? false : even * 10 >= pairs && odd * 20 <= even ? true : null;
        if (bigEndian is null)
        {
            return null;
        }
        var encoding = new UnicodeEncoding(bigEndian.Value, byteOrderMark: false, throwOnInvalidBytes: true);
        var text = TryDecode(encoding, bytes[..(bytes.Length & ~1)]);
        if (text is null || text.Count(c => c < 0x20 && c is not '\n' and not '\r' and not '\t' and not '\f') > text.Length / 100)
        {
            return null;
        }
        return bigEndian;
    }

    private static Encoding Strict(string name) =>
        Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    private static bool IsValid(Encoding encoding, ReadOnlySpan<byte> bytes) => TryDecode(encoding, bytes) is not null;

    private static string? TryDecode(Encoding encoding, ReadOnlySpan<byte> bytes)
    {
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static double Score(string text, string common)
    {
        int cjk = 0, hits = 0;
        foreach (var c in text)
        {
            if (c >= 0x3400 && c <= 0x9FFF)
            {
                cjk++;
                if (common.Contains(c))
                {
                    hits++;
                }
            }
        }
        return cjk == 0 ? 0 : (double)hits / cjk;
    }
}
