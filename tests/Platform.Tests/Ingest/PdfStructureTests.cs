using Platform.Workers.Ingest.Parsing;

namespace Platform.Tests.Ingest;

/// <summary>Heading paths of PDFs made by LibreOffice: from the outline it exports, and from the type when there is none.</summary>
[TestFixture]
public sealed class PdfStructureTests
{
    private const string Prose =
        "<p>Boats must be moored at the eastern pontoon between April and October, with two lines fore and aft and fenders " +
        "on the pontoon side; the harbour master may move a boat that is badly moored.</p>";

    [Test]
    public async Task Should_take_heading_paths_from_the_pdf_outline_and_start_a_chunk_at_each_heading()
    {
        // Page 1 is a contents page with dot leaders; "Fees for visitors" is an h2 set like body text, so only the
        // outline (not the type) can tell it is a heading.
        var leaders = string.Concat(Enumerable.Range(1, 6).Select(i => $"<p>{i} Section number {i} . . . . . . . . . . . . . . . . {i + 1}</p>"));
        var pdf = Fixtures.LibreOfficePdf($$"""
            <html><head><meta charset="utf-8"></head><body>
            <p>Contents</p>{{leaders}}
            <p style="page-break-before: always">Harbour guide for the small marina, as agreed by the harbour board.</p>
            <h1>Mooring rules</h1>{{Prose}}
            <h2 style="font-size: 12pt; font-weight: normal">Fees for visitors</h2>
            <p>A visitor pays twelve euros per night for a berth under ten metres.</p>
            <h1 style="page-break-before: always">Safety</h1>
            <p>Life jackets are compulsory for children on the pontoons.</p>
            </body></html>
            """);

        var parsed = await ParserHarness.ParseAsync(pdf, "harbour.pdf");

        Assert.That(parsed.PageCount, Is.EqualTo(3));
        Section Holding(string text) => parsed.Sections.Single(s => s.Text.Contains(text));
        Assert.That((Holding("harbour board").Page, Holding("harbour board").HeadingPath), Is.EqualTo((2, "")));
        Assert.That((Holding("eastern pontoon").Page, Holding("eastern pontoon").HeadingPath), Is.EqualTo((2, "Mooring rules")));
        Assert.That(Holding("twelve euros").HeadingPath, Is.EqualTo("Mooring rules > Fees for visitors"));
        Assert.That((Holding("Life jackets").Page, Holding("Life jackets").HeadingPath), Is.EqualTo((3, "Safety")));
        Assert.That(parsed.Sections.Select(s => s.Text), Has.None.StartsWith("Fees for visitors").And.None.StartsWith("Mooring rules"),
            "a heading is the path, not text");

        var chunks = ParserHarness.Pack(parsed);
        Assert.That(chunks.Where(c => c.Content.Contains("eastern pontoon") || c.Content.Contains("twelve euros")).Count(), Is.EqualTo(2),
            "a chunk ends where a heading starts");
        var safety = chunks.Single(c => c.Content.Contains("Life jackets"));
        Assert.That((safety.PageStart, safety.HeadingPath), Is.EqualTo((3, "Safety")));
        Assert.That(chunks.Select(c => c.Content), Has.None.Contains(". . . . ."), "no dot leaders of the contents page");
        Assert.That(chunks.Select(c => c.Content), Has.None.Contains("Section number"));
    }

    [Test]
    public async Task Should_take_heading_paths_from_the_type_when_a_pdf_has_no_outline()
    {
        var pdf = Fixtures.LibreOfficePdf($$"""
            <html><head><meta charset="utf-8"></head><body>
            <p>Harbour guide for the small marina, as agreed by the harbour board at its spring meeting.</p>
            <h1>Mooring rules</h1>{{Prose}}{{Prose}}
            <h2>Fees for visitors</h2>
            <p>A visitor pays twelve euros per night for a berth under ten metres.</p>{{Prose}}
            <h1>Safety</h1>
            <p>Life jackets are compulsory for children on the pontoons.</p>{{Prose}}
            </body></html>
            """, bookmarks: false);

        var parsed = await ParserHarness.ParseAsync(pdf, "harbour.pdf");

        string PathOf(string text) => parsed.Sections.Single(s => s.Text.Contains(text)).HeadingPath;
        Assert.That(PathOf("harbour board"), Is.EqualTo(""));
        Assert.That(PathOf("twelve euros"), Is.EqualTo("Mooring rules > Fees for visitors"));
        Assert.That(PathOf("Life jackets"), Is.EqualTo("Safety"));
    }

    [Test]
    public void Should_lay_outline_headings_over_the_page_text_with_their_section_numbers_left_out()
    {
        // The Debian FAQ's page 10 as pdftotext reads it: the outline's titles have no numbers, the text's have.
        var structure = new PdfStructure([
            new PdfHeading(9, 0, "Definitions and overview"), new PdfHeading(9, 1, "What is Debian GNU/Linux?"),
            new PdfHeading(10, 1, "OK, now I know what Debian is... what is Linux?!"), new PdfHeading(10, 1, "Does Debian just do GNU/Linux?")]);
        structure.Page(9, "Definitions and overview\n\n1.2 What is Debian GNU/Linux?\nDebian is a free operating system.");

        var page = structure.Page(10, "The Debian Project was created by Ian Murdock in 1993.\n\n" +
            "1.3 OK, now I know what Debian is... what is Linux?!\nIn short, Linux is the kernel.\n\n1.4\n\nDoes Debian just do GNU/Linux?\n\nCurrently, only Linux.");

        Assert.That(page.Select(s => (s.HeadingPath, s.Text)), Is.EqualTo(new[]
        {
            ("Definitions and overview > What is Debian GNU/Linux?", "The Debian Project was created by Ian Murdock in 1993."),
            ("Definitions and overview > OK, now I know what Debian is... what is Linux?!", "In short, Linux is the kernel."),
            ("Definitions and overview > Does Debian just do GNU/Linux?", "Currently, only Linux."),
        }));
    }

    [Test]
    public void Should_leave_a_sections_text_under_its_own_heading_when_the_next_heading_is_not_found_in_the_text()
    {
        // The Debian FAQ's page 55: 11.3's text must not be put under 11.4, whose title the outline spells differently
        // (an outline "Debian way!" that the page does not print); 11.4's own text stays under 11.3 until 11.5 is found.
        var structure = new PdfStructure([
            new PdfHeading(55, 0, "Customizing"), new PdfHeading(55, 1, "How do I load a console font on startup?"),
            new PdfHeading(55, 1, "A title this page never prints"), new PdfHeading(55, 1, "How does a Debian system boot?")]);

        var page = structure.Page(55, "Customizing\n\n11.3 How do I load a console font on startup?\nEdit the /etc/kbd/config file.\n\n" +
            "11.4 How can I configure defaults?\nPut them in /etc/X11/app-defaults.\n\n11.5 How does a Debian system boot?\nWith init.");

        Assert.That(page.Single(s => s.Text.Contains("/etc/kbd/config")).HeadingPath,
            Is.EqualTo("Customizing > How do I load a console font on startup?"));
        Assert.That(page.Single(s => s.Text.Contains("With init")).HeadingPath, Is.EqualTo("Customizing > How does a Debian system boot?"));
    }

    [Test]
    public async Task Should_find_no_headings_in_a_pdf_set_in_one_size_without_an_outline()
    {
        var pdf = Fixtures.Pdf([Fixtures.Lines("1.2 What is Debian GNU/Linux?", "The Debian Project was created by Ian Murdock in 1993.")]);

        var parsed = await ParserHarness.ParseAsync(pdf, "plain.pdf");

        Assert.That(parsed.Sections.Select(s => s.HeadingPath), Is.All.Empty);
        Assert.That(ParserHarness.AllText(parsed), Does.Contain("1.2 What is Debian GNU/Linux?"));
    }

    [TestCase(new[] { "1.2 What is Debian", "GNU/Linux?", "The Debian Project was created" }, "1.2 What is Debian GNU/Linux?", 2)]
    [TestCase(new[] { "What is Debian GNU/Linux?" }, "1.2 What is Debian GNU/Linux?", 1)]
    [TestCase(new[] { "1.3 OK, now I know what Debian is... what is Linux?!", "In short, Linux is the kernel" }, "OK, now I know what Debian is... what is Linux?!", 1)]
    [TestCase(new[] { "第 1 章 正确起步" }, "第1章 正确起步", 1)]
    [TestCase(new[] { "11.4 How can I configure an X11 program’s application defaults?" }, "How can I configure an X11 program's application defaults?", 1)]
    [TestCase(new[] { "Notes on the mooring of boats" }, "Notes", null)]
    [TestCase(new[] { "Mooring", "rules apply to every boat" }, "Mooring rules", null)]
    public void Should_find_a_title_only_as_whole_lines(string[] lines, string title, int? expected) =>
        Assert.That(PdfStructure.TitleLines(lines, 0, title), Is.EqualTo(expected));
}
