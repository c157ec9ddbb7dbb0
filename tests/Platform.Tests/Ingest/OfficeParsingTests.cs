using System.Text;
using Platform.Jobs;
using Platform.Workers.Ingest.Parsing;

namespace Platform.Tests.Ingest;

[TestFixture]
public sealed class OfficeParsingTests
{
    [Test]
    public async Task Should_read_docx_headings_lists_tables_and_page_breaks()
    {
        var docx = Fixtures.Docx(b => b
            .Heading(1, "Operations guide")
            .Paragraph("The platform keeps job state in PostgreSQL.")
            .Heading(2, "Queues")
            .Bullet("Ingest queue")
            .Bullet("Answer queue")
            .PageBreak()
            .Heading(2, "Limits")
            .Table(["Setting", "Default"], ["Upload", "50 MB"], ["Pages", "2000"]));

        var parsed = await ParserHarness.ParseAsync(docx, "guide.docx");

        Assert.That(parsed.Format, Is.EqualTo("docx"));
        Assert.That(parsed.PageCount, Is.EqualTo(2));
        Assert.That(parsed.Sections, Is.EqualTo(new[]
        {
            new Section(1, "Operations guide", SectionKind.Paragraph, "The platform keeps job state in PostgreSQL."),
            new Section(1, "Operations guide > Queues", SectionKind.List, "- Ingest queue\n- Answer queue"),
            new Section(2, "Operations guide > Limits", SectionKind.Table, "Setting | Default\nUpload | 50 MB\nPages | 2000"),
        }));
    }

    [Test]
    public async Task Should_read_pptx_slides_as_pages_with_titles_bullets_and_tables()
    {
        var pptx = Fixtures.Pptx(
            ("Roadmap", ["Ship ingest", "Ship search"], null),
            ("Budget", ["Numbers below"], [["Item", "Cost"], ["Servers", "1200"]]));

        var parsed = await ParserHarness.ParseAsync(pptx, "deck.pptx");

        Assert.That(parsed.Format, Is.EqualTo("pptx"));
        Assert.That(parsed.PageCount, Is.EqualTo(2));
        Assert.That(parsed.Sections, Is.EqualTo(new[]
        {
            new Section(1, "Slide 1: Roadmap", SectionKind.List, "- Ship ingest\n- Ship search"),
            new Section(2, "Slide 2: Budget", SectionKind.Paragraph, "Numbers below"),
            new Section(2, "Slide 2: Budget", SectionKind.Table, "Item | Cost\nServers | 1200"),
        }));
    }

    [Test]
    public async Task Should_read_xlsx_sheets_as_tables_and_repeat_the_header_in_every_chunk_without_splitting_rows()
    {
        var rows = new List<object[]> { new object[] { "Region", "Product", "Units" } };
        rows.AddRange(Enumerable.Range(1, 60).Select(i => new object[] { $"Region {i}", $"Product number {i}", i * 10 }));
        var xlsx = Fixtures.Xlsx(("Sales", rows.ToArray()), ("Notes", [["Remark"], ["All figures are provisional"]]));

        var parsed = await ParserHarness.ParseAsync(xlsx, "sales.xlsx");

        Assert.That(parsed.Format, Is.EqualTo("xlsx"));
        Assert.That(parsed.Sections.Select(s => (s.Page, s.HeadingPath, s.Kind)),
            Is.EqualTo(new[] { (1, "Sales", SectionKind.Table), (2, "Notes", SectionKind.Table) }));
        var chunks = ParserHarness.Pack(parsed, maxChars: 300, overlap: 100).Where(c => c.HeadingPath == "Sales").ToList();
        Assert.That(chunks, Has.Count.GreaterThan(3));
        var bodyRows = new List<string>();
        foreach (var chunk in chunks)
        {
            var lines = chunk.Content.Split('\n');
            Assert.That(lines[0], Is.EqualTo("Region | Product | Units"), "each table chunk starts with the header");
            Assert.That(lines.Skip(1).All(l => l.StartsWith("Region ") && l.Split(" | ").Length == 3), Is.True, "rows are whole");
            bodyRows.AddRange(lines.Skip(1));
        }
        Assert.That(bodyRows, Is.EqualTo(Enumerable.Range(1, 60).Select(i => $"Region {i} | Product number {i} | {i * 10}")),
            "every row once, in order: no row split, lost or duplicated");
    }

    [Test]
    public async Task Should_tell_office_formats_apart_by_content_not_by_extension()
    {
        var docx = Fixtures.Docx(b => b.Paragraph("Hello from Word."));

        var parsed = await ParserHarness.ParseAsync(docx, "misnamed.xlsx");

        Assert.That(parsed.Format, Is.EqualTo("docx"));
        Assert.That(ParserHarness.AllText(parsed), Is.EqualTo("Hello from Word."));
    }

    [Test]
    public async Task Should_fail_a_truncated_docx_as_corrupt()
    {
        var docx = Fixtures.Docx(b => b.Paragraph(string.Join(' ', Enumerable.Repeat("Some text.", 500))));

        var failure = await ParserHarness.FailAsync(docx[..(docx.Length / 2)], "cut.docx");

        Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.CorruptFile));
    }

    [Test]
    public async Task Should_refuse_a_zip_bomb_by_compression_ratio_and_declared_size_before_reading_it()
    {
        var bomb = Fixtures.Zip(("[Content_Types].xml", Encoding.UTF8.GetBytes("<Types/>")), ("word/document.xml", new byte[64 * 1024 * 1024]));

        var failure = await ParserHarness.FailAsync(bomb, "bomb.docx");
        var sized = await ParserHarness.FailAsync(bomb, "bomb.docx", o => { o.MaxCompressionRatio = 100_000; o.MaxDecompressedBytes = 32 * 1024 * 1024; });

        Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.TooLarge));
        Assert.That(failure.Message, Does.Contain("zip bomb"));
        Assert.That(sized.ReasonCode, Is.EqualTo(ReasonCodes.TooLarge));
        Assert.That(sized.Message, Does.Contain("decompresses to more than"));
    }

    [Test]
    public async Task Should_refuse_a_zip_with_too_many_entries()
    {
        var many = Fixtures.Zip(Enumerable.Range(0, 50).Select(i => ($"part{i}.xml", new byte[] { 1 })).ToArray());

        var failure = await ParserHarness.FailAsync(many, "many.docx", o => o.MaxZipEntries = 20);

        Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.TooLarge));
    }

    [Test]
    public async Task Should_refuse_a_plain_zip_archive_as_unsupported()
    {
        var zip = Fixtures.Zip(("readme.txt", Encoding.UTF8.GetBytes("hello")));

        var failure = await ParserHarness.FailAsync(zip, "files.docx");

        Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.UnsupportedType));
    }
}
