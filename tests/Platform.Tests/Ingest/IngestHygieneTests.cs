using System.Text;
using Platform.Workers.Ingest.Parsing;

namespace Platform.Tests.Ingest;

/// <summary>Text that arrives damaged or disguised: mojibake repaired (and only mojibake), tab-separated data with comments.</summary>
[TestFixture]
public sealed class IngestHygieneTests
{
    public const string ChineseDesign =
        "系统设计说明：上传服务把文件保存到对象存储，然后通过消息队列通知解析服务。\n" +
        "解析服务每秒处理约 120 个页面，失败的任务最多重试 3 次。配置文件位于 /etc/platform/ingest.yaml。\n";

    static IngestHygieneTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The accident: UTF-8 bytes opened as Windows-1252 (or Latin-1) by an editor and saved again as UTF-8.</summary>
    public static string AsMojibake(byte[] utf8, int codePage) => Encoding.GetEncoding(codePage).GetString(utf8);

    [TestCase(1252)]
    [TestCase(28591)]
    public async Task Should_repair_chinese_text_saved_as_mojibake_and_say_how_much_was_repaired(int codePage)
    {
        var utf8 = Encoding.UTF8.GetBytes(ChineseDesign);
        var damaged = AsMojibake(utf8, codePage);
        Assert.That(damaged, Does.Not.Contain("系统"), "the fixture really is mojibake");

        var repaired = await ParserHarness.ParseAsync(Encoding.UTF8.GetBytes(damaged), "design.txt");
        var clean = await ParserHarness.ParseAsync(utf8, "design.txt");

        Assert.That(ParserHarness.AllText(repaired), Is.EqualTo(ParserHarness.AllText(clean)));
        Assert.That(repaired.TextRepaired, Is.GreaterThan(0.5).And.LessThan(1), "the ASCII (120, /etc/platform/ingest.yaml) needed none");
        Assert.That(clean.TextRepaired, Is.Zero);
    }

    [Test]
    public void Should_repair_a_mojibake_word_inside_otherwise_sound_text() =>
        Assert.That(Mojibake.Repair("Le cafÃ© ouvre à 7 h."), Is.EqualTo(("Le café ouvre à 7 h.", 2)));

    [TestCase("Le café de la gare ouvre à 7 h ; « Où est l'hôtel ? » — déjà fermé, paraît-il.")]
    [TestCase("Die Größe der Straße: 3 m²; er sagte „Fuß“ und ging über die Brücke.")]
    [TestCase("Ñandú, señor: ¿qué año? ¡Olé! Ærøskøbing, Åland, Þórsmörk.")]
    [TestCase("Prices: £5 ± 0.5 · 10 % off — 2 × ½ kg ©2024")]
    public async Task Should_leave_genuine_accented_text_as_it_is(string text)
    {
        var parsed = await ParserHarness.ParseAsync(Encoding.UTF8.GetBytes(text), "notes.txt");

        Assert.That(ParserHarness.AllText(parsed), Is.EqualTo(text));
        Assert.That(parsed.TextRepaired, Is.Zero);
    }

    [Test]
    public async Task Should_read_tab_separated_data_with_comment_lines_as_a_table_not_markdown()
    {
        // tzdata's zone table: a block of '#' comments (the header is the last one), then rows of 3 or 4 tab-separated columns.
        const string path = "/usr/share/zoneinfo/zone1970.tab";
        Assume.That(File.Exists(path), Is.True, "tzdata is not installed");

        var parsed = await ParserHarness.ParseAsync(await File.ReadAllBytesAsync(path), "zone1970.tab");

        Assert.That(parsed.Format, Is.EqualTo("csv"));
        var table = parsed.Sections.Single();
        Assert.That(table.Kind, Is.EqualTo(SectionKind.Table));
        var rows = table.Text.Split('\n');
        Assert.That(rows[0], Is.EqualTo("codes | coordinates | TZ | comments"));
        Assert.That(rows, Has.Some.Matches<string>(r => r.Contains("Europe/Paris")));
        Assert.That(table.Text, Does.Not.Contain("public domain"), "comments are not rows");
        var chunks = ParserHarness.Pack(parsed);
        Assert.That(chunks.Select(c => c.Content.Split('\n')[0]), Is.All.EqualTo("codes | coordinates | TZ | comments"),
            "each chunk repeats the header");
    }
}
