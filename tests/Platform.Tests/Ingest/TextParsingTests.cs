using System.Text;
using Platform.Jobs;
using Platform.Workers.Ingest.Parsing;

namespace Platform.Tests.Ingest;

[TestFixture]
public sealed class TextParsingTests
{
    private const string Chinese = "文档解析服务把每个文件切分成片段。繁體與简体都要正确识别！";
    private const string Traditional = "這個系統會把文件分成段落，並且保存頁碼。我們的資料庫記錄所有工作的狀態。";

    static TextParsingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [TestCase("GB18030", Chinese)]
    [TestCase("GBK", Chinese)]
    [TestCase("big5", Traditional)]
    [TestCase("utf-8", Chinese)]
    public async Task Should_detect_the_text_encoding_from_the_bytes(string encoding, string text)
    {
        var bytes = Encoding.GetEncoding(encoding).GetBytes(text + "\n");

        var parsed = await ParserHarness.ParseAsync(bytes, "notes.txt");

        Assert.That(ParserHarness.AllText(parsed), Is.EqualTo(text));
    }

    [TestCase("Le café est très chaud. Nous avons créé une équipe pour gérer les données à Paris, où l'hôtel se trouve.")]
    [TestCase("Die Größe des Gebäudes übersteigt die Höhe der Straße. Übermäßige Änderungen führen zu Fehlern.")]
    [TestCase("El niño comió una manzana el año pasado. ¿Dónde está la estación? Mañana será otro día.")]
    [TestCase("Plain English notes about backups, with one café and a fiancée in them.")]
    public async Task Should_read_western_european_text_in_windows_1252_as_it_was_written(string text)
    {
        var bytes = Encoding.GetEncoding(1252).GetBytes(text + "\n");

        var parsed = await ParserHarness.ParseAsync(bytes, "notes.txt");

        Assert.That(ParserHarness.AllText(parsed), Is.EqualTo(text), "not decoded as Chinese");
    }

    [Test]
    public async Task Should_detect_utf16_with_and_without_a_byte_order_mark()
    {
        const string text = "Meeting notes: 会议记录。Decisions were made.";
        var littleNoBom = Encoding.Unicode.GetBytes(text);
        var bigWithBom = Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(text)).ToArray();

        Assert.That(ParserHarness.AllText(await ParserHarness.ParseAsync(littleNoBom, "a.txt")), Is.EqualTo(text));
        Assert.That(ParserHarness.AllText(await ParserHarness.ParseAsync(bigWithBom, "b.txt")), Is.EqualTo(text));
    }

    [Test]
    public async Task Should_keep_only_the_text_of_html_without_script_style_or_navigation()
    {
        const string html = """
            <!DOCTYPE html><html><head><title>Guide</title><style>body { color: red }</style><script>var secret = 1;</script></head>
            <body><nav><a href="/">Home</a> | <a href="/x">Menu link</a></nav>
            <h1>Operations</h1><p>Jobs are <b>durable</b>.<script>alert('x')</script></p>
            <h2>Limits</h2><table><tr><th>Key</th><th>Value</th></tr><tr><td>Upload</td><td>50 MB</td></tr></table>
            <ul><li>First item</li><li>Second item</li></ul><pre>dotnet test
              --filter X</pre></body></html>
            """;

        var parsed = await ParserHarness.ParseAsync(Encoding.UTF8.GetBytes(html), "page.bin");

        Assert.That(parsed.Format, Is.EqualTo("html"));
        Assert.That(parsed.Sections, Is.EqualTo(new[]
        {
            new Section(1, "Operations", SectionKind.Paragraph, "Jobs are durable."),
            new Section(1, "Operations > Limits", SectionKind.Table, "Key | Value\nUpload | 50 MB"),
            new Section(1, "Operations > Limits", SectionKind.List, "- First item\n- Second item"),
            new Section(1, "Operations > Limits", SectionKind.Code, "dotnet test\n  --filter X"),
        }));
        var all = ParserHarness.AllText(parsed);
        Assert.That(all, Does.Not.Contain("secret").And.Not.Contain("color").And.Not.Contain("Menu link").And.Not.Contain("alert"));
    }

    [Test]
    public async Task Should_read_csv_with_quoted_fields_as_one_table()
    {
        const string csv = "name,comment,score\n\"Lee, A.\",\"said \"\"yes\"\"\",3\nKim,\"two\nlines\",5\n";

        var parsed = await ParserHarness.ParseAsync(Encoding.UTF8.GetBytes(csv), "scores.csv");

        Assert.That(parsed.Sections, Is.EqualTo(new[]
        {
            new Section(1, "", SectionKind.Table, "name | comment | score\nLee, A. | said \"yes\" | 3\nKim | two lines | 5"),
        }));
    }

    [Test]
    public async Task Should_read_json_as_key_value_lines_and_arrays_of_records_as_tables()
    {
        const string json = """{"service": {"name": "ingest", "limits": {"pages": 2000}}, "users": [{"id": 1, "name": "Ann"}, {"id": 2, "name": "Bo"}]}""";

        var parsed = await ParserHarness.ParseAsync(Encoding.UTF8.GetBytes(json), "config");

        Assert.That(parsed.Sections, Is.EqualTo(new[]
        {
            new Section(1, "service", SectionKind.Paragraph, "service.name: ingest\nservice.limits.pages: 2000"),
            new Section(1, "users", SectionKind.Table, "id | name\n1 | Ann\n2 | Bo"),
        }));
    }

    [Test]
    public async Task Should_fail_invalid_json_as_corrupt()
    {
        var failure = await ParserHarness.FailAsync(Encoding.UTF8.GetBytes("{\"a\": [1, 2"), "data.json");

        Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.CorruptFile));
    }

    [Test]
    public async Task Should_read_prose_as_text_even_when_it_has_commas_or_starts_with_a_brace()
    {
        const string prose = "First, we upload.\nThen, we wait.\nFinally, we search.\nAfter that, we rest.\n";
        const string braces = "{draft} The plan is not final.\n";

        var commas = await ParserHarness.ParseAsync(Encoding.UTF8.GetBytes(prose), "notes");
        var brace = await ParserHarness.ParseAsync(Encoding.UTF8.GetBytes(braces), "notes.txt");

        Assert.That((commas.Format, commas.Sections[0].Kind), Is.EqualTo(("text", SectionKind.Paragraph)));
        Assert.That((brace.Format, ParserHarness.AllText(brace)), Is.EqualTo(("text", "{draft} The plan is not final.")));
    }

    [Test]
    public async Task Should_refuse_unknown_binary_formats_as_unsupported()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];

        var failure = await ParserHarness.FailAsync(png, "photo.pdf");

        Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.UnsupportedType));
        Assert.That(failure.Permanent, Is.True);
    }

    [Test]
    public async Task Should_refuse_legacy_office_files_and_name_encrypted_office_packages()
    {
        byte[] magic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        var legacy = magic.Concat(new byte[4096]).ToArray();
        var encrypted = magic.Concat(new byte[1024]).Concat(Encoding.Unicode.GetBytes("EncryptedPackage")).Concat(new byte[1024]).ToArray();

        Assert.That((await ParserHarness.FailAsync(legacy, "old.doc")).ReasonCode, Is.EqualTo(ReasonCodes.UnsupportedType));
        Assert.That((await ParserHarness.FailAsync(encrypted, "locked.docx")).ReasonCode, Is.EqualTo(ReasonCodes.Encrypted));
    }

    [Test]
    public async Task Should_fail_an_empty_file_with_no_text()
    {
        var failure = await ParserHarness.FailAsync([], "empty.txt");

        Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.NoText));
    }

    [Test]
    public async Task Should_refuse_a_file_over_the_size_limit_while_streaming_it()
    {
        var failure = await ParserHarness.FailAsync(Encoding.UTF8.GetBytes(new string('a', 5000)), "big.txt", o => o.MaxDocumentBytes = 1000);

        Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.TooLarge));
    }

    [Test]
    public async Task Should_chunk_chinese_text_at_chinese_sentence_ends_without_losing_or_duplicating_text()
    {
        var sentences = Enumerable.Range(1, 40).Select(i => $"第{i}条规则说明系统如何处理上传的文件并记录页码；").ToList();
        var text = string.Concat(sentences);

        var parsed = await ParserHarness.ParseAsync(Encoding.UTF8.GetBytes(text), "规则.txt");
        var chunks = ParserHarness.Pack(parsed, maxChars: 200, overlap: 0);

        Assert.That(chunks, Has.Count.GreaterThan(3));
        Assert.That(chunks.All(c => c.Content.EndsWith('；')), Is.True, "every chunk ends at a sentence end");
        Assert.That(string.Concat(chunks.Select(c => c.Content)), Is.EqualTo(text));
        Assert.That(chunks.Select(c => (c.CharStart, c.CharEnd)), Is.Ordered.By("Item1"));
        Assert.That(chunks.All(c => text[c.CharStart..c.CharEnd] == c.Content), Is.True, "offsets point at the chunk's text");
    }
}
