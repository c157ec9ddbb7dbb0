using Platform.Jobs;

namespace Platform.Tests.Ingest;

[TestFixture]
public sealed class PdfParsingTests
{
    private static readonly string[] English =
    [
        "Chapter one explains the storage layer. Jobs are kept in PostgreSQL.",
        "The queue is RabbitMQ and every consumer is idempotent.",
        "Page three covers backups. Snapshots are taken nightly.",
    ];

    [Test]
    public async Task Should_extract_the_text_of_each_pdf_page_with_its_page_number()
    {
        var pdf = Fixtures.Pdf([Fixtures.Lines(English[0]), Fixtures.Lines(English[1]), Fixtures.Lines(English[2])]);
        var progress = new List<(int Done, int Total)>();

        var parsed = await ParserHarness.ParseAsync(pdf, "manual.pdf", progress: (d, t) => { progress.Add((d, t)); return Task.CompletedTask; });

        Assert.That(parsed.PageCount, Is.EqualTo(3));
        Assert.That(parsed.Format, Is.EqualTo("pdf"));
        Assert.That(parsed.Sections.Select(s => (s.Page, s.Text)), Is.EqualTo(new[] { (1, English[0]), (2, English[1]), (3, English[2]) }));
        Assert.That(parsed.OcrPages, Is.Empty);
        Assert.That(progress[^1], Is.EqualTo((3, 3)));
        var whole = ParserHarness.Pack(parsed);
        Assert.That(whole.Select(c => (c.PageStart, c.PageEnd)), Is.EqualTo(new[] { (1, 3) }), "one chunk spanning the three pages");
        var small = ParserHarness.Pack(parsed, maxChars: 80, overlap: 0);
        Assert.That(small.Single(c => c.Content.Contains("Snapshots")).PageStart, Is.EqualTo(3));
        Assert.That(small.Single(c => c.Content.Contains("Chapter one")).PageStart, Is.EqualTo(1));
    }

    [Test]
    public async Task Should_leave_a_table_of_contents_page_out_of_the_index()
    {
        // The Debian FAQ's contents page as pdftotext reads it: entries joined to page numbers by dot leaders.
        var contents = Fixtures.Lines("Contents",
            "1 Definitions and overview 1",
            "1.1 What is this FAQ? . . . . . . . . . . . . . . . . . . . . . . 1",
            "1.2 What is Debian GNU/Linux? . . . . . . . . . . . . . . . . . . 1",
            "1.3 OK, now I know what Debian is... what is Linux?! . . . . . . . 2",
            "1.4 Does Debian just do GNU/Linux? . . . . . . . . . . . . . . . . 3",
            "1.5 What is the difference between Debian and other distributions? . . . . . . 3",
            "1.6 How does the Debian project fit in or compare with the FSF? . . . . . . 4");
        var body = Fixtures.Lines("1.2 What is Debian GNU/Linux?", "The Debian Project was created by Ian Murdock in 1993.");
        var pdf = Fixtures.Pdf([contents, body]);

        var parsed = await ParserHarness.ParseAsync(pdf, "debian-faq.pdf");

        Assert.That(parsed.PageCount, Is.EqualTo(2));
        Assert.That(parsed.Sections.Select(s => s.Page).Distinct(), Is.EqualTo(new[] { 2 }), "no section from the contents page");
        Assert.That(ParserHarness.AllText(parsed), Does.Contain("Ian Murdock in 1993"));
    }

    [TestCase("4.1 On what hardware architectures/systems does Debian GNU/Linux run? . . . . . . . . . .\n4.2 What kernels does Debian GNU/Linux run? . . . . . . . . . . . . .\n4.3 How compatible is Debian? . . . . . . . . . .\n4.4 How source code compatible is Debian? . . . . . . . .\n4.5 Can I use Debian packages? ..........\n4.6 How should I install a non-Debian program? ·······", true)]
    [TestCase("9 Keeping your Debian system up-to-date\n9.1 How can I keep my Debian system current? . . . . . . . . . .\n9.1.1 aptitude . . . . . . . . . .\n9.2 Must I go into single user mode in order to upgrade a package? . . . . . . . .\n9.3 Do I have to keep all those .deb archive files on my disk? . . . . . . . .\n9.4 How can I keep a log of the packages I added to the system? I'd like to know when\nupgrades and removals have occurred and on which packages! . . . . . . . . . .\n\n41\n41\n41\n42\n42\n42\n42\n42\n43\n43\n43\n43\n\n10 Debian and the kernel\n10.1 Can I install and compile a kernel without some Debian-specific tweaking? . . . . . . . .", true)]
    [TestCase("The Debian Project was created by Ian Murdock in 1993.\nIt was sponsored by the FSF... at first.\nWait.....\nOK.", false)]
    public void Should_tell_a_contents_page_from_prose(string page, bool isContents) =>
        Assert.That(Platform.Workers.Ingest.Parsing.TableOfContents.IsContentsPage(page), Is.EqualTo(isContents));

    [Test]
    public async Task Should_detect_a_pdf_by_its_bytes_whatever_its_name()
    {
        var pdf = Fixtures.Pdf([Fixtures.Lines(English[0])]);

        var parsed = await ParserHarness.ParseAsync(pdf, "notes.txt");

        Assert.That(parsed.Format, Is.EqualTo("pdf"));
        Assert.That(ParserHarness.AllText(parsed), Is.EqualTo(English[0]));
    }

    [Test]
    public async Task Should_extract_chinese_text_without_spaces_and_chunk_it_at_chinese_sentence_ends()
    {
        Assume.That(Fixtures.HasCjkFont, "fonts-droid-fallback is not installed");
        const string first = "数据库保存所有作业的状态。";
        const string second = "消息队列负责把任务分发给工作进程！";
        const string third = "每个文档都会被切分成带页码的片段？";
        var pdf = Fixtures.Pdf([Fixtures.Lines(first, second), Fixtures.Lines(third)], family: "Cjk");

        var parsed = await ParserHarness.ParseAsync(pdf, "中文.pdf");

        Assert.That(parsed.Sections.Select(s => s.Page).Distinct(), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(ParserHarness.AllText(parsed), Does.Contain(first + second));
        Assert.That(ParserHarness.AllText(parsed), Does.Contain(third));
        var chunks = ParserHarness.Pack(parsed, maxChars: 200, overlap: 0);
        var joined = string.Concat(chunks.Select(c => c.Content));
        Assert.That(joined.Replace("\n", ""), Is.EqualTo(first + second + third), "no text lost or duplicated");
        Assert.That(chunks.All(c => !char.IsHighSurrogate(c.Content[^1])), Is.True);
    }

    [Test]
    public async Task Should_ocr_pages_without_a_text_layer_and_say_which_pages()
    {
        Assume.That(Platform.Workers.Ingest.Parsing.ToolRunner.Exists("tesseract"), "tesseract is not installed");
        var scanned = Fixtures.ScannedPdf([Fixtures.Lines("QUARTERLY REPORT", "Revenue grew in March")]);
        var withoutOcr = await ParserHarness.FailAsync(scanned, "scan.pdf", o => o.OcrEnabled = false);
        Assert.That(withoutOcr.ReasonCode, Is.EqualTo(ReasonCodes.NoText), "the fixture must have no text layer");

        var parsed = await ParserHarness.ParseAsync(scanned, "scan.pdf");

        Assert.That(parsed.OcrPages, Is.EqualTo(new[] { 1 }));
        Assert.That(ParserHarness.AllText(parsed), Does.Contain("QUARTERLY REPORT").And.Contain("Revenue"));
        Assert.That(parsed.Sections.All(s => s.Page == 1), Is.True);
    }

    [Test]
    public async Task Should_fail_an_image_only_pdf_with_no_text_when_ocr_is_not_installed()
    {
        var scanned = Fixtures.ScannedPdf([Fixtures.Lines("SCANNED PAGE")]);

        var failure = await ParserHarness.FailAsync(scanned, "scan.pdf", o => o.Tools.Tesseract = "/nonexistent/tesseract");

        Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.NoText));
        Assert.That(failure.Message, Does.Contain("OCR").And.Contain("tesseract"));
        Assert.That(failure.Permanent, Is.True);
    }

    [Test]
    public async Task Should_fail_a_password_protected_pdf_as_encrypted()
    {
        var pdf = Fixtures.Pdf([Fixtures.Lines(English[0])], userPassword: "secret");

        var failure = await ParserHarness.FailAsync(pdf, "locked.pdf");

        Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.Encrypted));
        Assert.That(failure.Permanent, Is.True);
    }

    [Test]
    public async Task Should_fail_a_truncated_pdf_as_corrupt()
    {
        var pdf = Fixtures.Pdf([Fixtures.Lines(English[0]), Fixtures.Lines(English[1])]);

        var failure = await ParserHarness.FailAsync(pdf[..(pdf.Length / 3)], "cut.pdf");

        Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.CorruptFile));
        Assert.That(failure.Permanent, Is.True);
    }

    [Test]
    public async Task Should_refuse_a_pdf_with_more_pages_than_the_limit()
    {
        var pdf = Fixtures.Pdf([Fixtures.Lines("a"), Fixtures.Lines("b"), Fixtures.Lines("c")]);

        var failure = await ParserHarness.FailAsync(pdf, "long.pdf", o => o.MaxPages = 2);

        Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.TooLarge));
    }

    [Test]
    public async Task Should_name_the_missing_tool()
    {
        var pdf = Fixtures.Pdf([Fixtures.Lines(English[0])]);

        var failure = await ParserHarness.FailAsync(pdf, "a.pdf", o => o.Tools.PdfToText = "pdftotext-not-installed");

        Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.ToolMissing));
        Assert.That(failure.Message, Does.Contain("pdftotext-not-installed").And.Contain("poppler-utils"));
    }

    [Test]
    public async Task Should_stop_a_parser_that_exceeds_the_wall_time_limit_and_kill_its_process()
    {
        var work = Directory.CreateTempSubdirectory("ingest-hang-").FullName;
        try
        {
            // A pdftotext that never finishes: it records its pid, then sleeps.
            var hang = Path.Combine(work, "pdftotext");
            var pidFile = Path.Combine(work, "pid");
            await File.WriteAllTextAsync(hang, $"#!/bin/sh\necho $$ > {pidFile}\nexec sleep 300\n");
            MakeExecutable(hang);
            var pdf = Fixtures.Pdf([Fixtures.Lines(English[0])]);

            var failure = await ParserHarness.FailAsync(pdf, "slow.pdf", o =>
            {
                o.Tools.PdfToText = hang;
                o.ParseTimeout = TimeSpan.FromSeconds(2);
            });

            Assert.That(failure.ReasonCode, Is.EqualTo(ReasonCodes.Timeout));
            var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim());
            Assert.That(ProcessIsGone(pid), Is.True, "the child process must be killed");
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }

    [Test]
    public async Task Should_kill_the_child_process_when_the_job_is_cancelled()
    {
        var work = Directory.CreateTempSubdirectory("ingest-cancel-").FullName;
        try
        {
            var hang = Path.Combine(work, "pdfinfo");
            var pidFile = Path.Combine(work, "pid");
            await File.WriteAllTextAsync(hang, $"#!/bin/sh\necho $$ > {pidFile}\nexec sleep 300\n");
            MakeExecutable(hang);
            using var cancel = new CancellationTokenSource();
            var parse = ParserHarness.ParseAsync(Fixtures.Pdf([Fixtures.Lines(English[0])]), "a.pdf", o => o.Tools.PdfInfo = hang, cancel.Token);
            while (!File.Exists(pidFile) || (await File.ReadAllTextAsync(pidFile)).Trim().Length == 0)
            {
                await Task.Delay(50);
            }

            await cancel.CancelAsync();

            Assert.That(async () => await parse, Throws.InstanceOf<OperationCanceledException>());
            Assert.That(ProcessIsGone(int.Parse((await File.ReadAllTextAsync(pidFile)).Trim())), Is.True);
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }

    private static void MakeExecutable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static bool ProcessIsGone(int pid)
    {
        // Kill returns once the signal is sent; the zombie is reaped by the runtime soon after.
        for (var i = 0; i < 100; i++)
        {
            var status = $"/proc/{pid}/status";
            if (!File.Exists(status) || File.ReadAllText(status).Contains("State:\tZ"))
            {
                return true;
            }
            Thread.Sleep(50);
        }
        return false;
    }
}
