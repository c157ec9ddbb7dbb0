using System.Diagnostics;
using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using W = DocumentFormat.OpenXml.Wordprocessing;
using S = DocumentFormat.OpenXml.Spreadsheet;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace Platform.Tests.Ingest;

/// <summary>
/// Real documents written by real tools: PDFs by PdfSharp (text from installed TrueType fonts, CJK from Droid Sans
/// Fallback), scanned pages rendered by poppler's pdftoppm and placed back as images, Office files by the OpenXml SDK.
/// </summary>
public static class Fixtures
{
    private static readonly Lock Gate = new();

    public static void EnsureFonts()
    {
        lock (Gate)
        {
            // PDFsharp 6.5 asks the caller to choose its licence; the AGPL one covers this test-only use (fixtures, never shipped).
            if (GlobalFontSettings.FontResolver is null)
            {
                PdfSharp.PdfSharpLicense.SetAgplLicense();
            }
            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = new InstalledFonts();
            }
        }
    }

    public static bool HasCjkFont => File.Exists(InstalledFonts.Cjk);

    /// <summary>A text PDF: one page per entry of <paramref name="pages"/>, each a list of lines.</summary>
    public static byte[] Pdf(IReadOnlyList<IReadOnlyList<string>> pages, string family = "Latin", double size = 11, string? userPassword = null)
    {
        EnsureFonts();
        using var document = new PdfDocument();
        foreach (var lines in pages)
        {
            var page = document.AddPage();
            using var graphics = XGraphics.FromPdfPage(page);
            var font = new XFont(family, size);
            var y = 60.0;
            foreach (var line in lines)
            {
                if (line.Length > 0)
                {
                    graphics.DrawString(line, font, XBrushes.Black, new XPoint(50, y));
                }
                y += size * 1.6;
                if (y > page.Height.Point - 50)
                {
                    break;
                }
            }
        }
        if (userPassword is not null)
        {
            document.SecuritySettings.UserPassword = userPassword;
            document.SecuritySettings.OwnerPassword = userPassword + "-owner";
        }
        using var output = new MemoryStream();
        document.Save(output);
        return output.ToArray();
    }

    /// <summary>
    /// A "scanned" PDF: the text pages are rendered to PNG by pdftoppm and placed back as images, so the file has no
    /// text layer at all (pdftotext yields nothing) but OCR can read it.
    /// </summary>
    public static byte[] ScannedPdf(IReadOnlyList<IReadOnlyList<string>> pages, string family = "Latin")
    {
        var work = Directory.CreateTempSubdirectory("ingest-scan-").FullName;
        try
        {
            var source = Path.Combine(work, "source.pdf");
            File.WriteAllBytes(source, Pdf(pages, family, size: 20));
            Run("pdftoppm", "-r", "150", "-png", source, Path.Combine(work, "page"));
            using var document = new PdfDocument();
            foreach (var png in Directory.GetFiles(work, "page*.png").Order())
            {
                var page = document.AddPage();
                using var graphics = XGraphics.FromPdfPage(page);
                using var image = XImage.FromFile(png);
                graphics.DrawImage(image, 0, 0, page.Width.Point, page.Height.Point);
            }
            using var output = new MemoryStream();
            document.Save(output);
            return output.ToArray();
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }

    public static IReadOnlyList<string> Lines(params string[] lines) => lines;

    /// <summary>A DOCX with a title, headings, paragraphs, a bulleted list, a page break and a table.</summary>
    public static byte[] Docx(Action<Body> build)
    {
        using var output = new MemoryStream();
        using (var document = WordprocessingDocument.Create(output, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            build(body);
            main.Document = new W.Document(body.Element);
            main.Document.Save();
        }
        return output.ToArray();
    }

    /// <summary>Builds a Word body without the SDK's ceremony.</summary>
    public sealed class Body
    {
        public W.Body Element { get; } = new();

        public Body Heading(int level, string text) => Add(new W.Paragraph(
            new W.ParagraphProperties(new W.ParagraphStyleId { Val = $"Heading{level}" }), Run(text)));

        public Body Paragraph(string text) => Add(new W.Paragraph(Run(text)));

        public Body Bullet(string text) => Add(new W.Paragraph(
            new W.ParagraphProperties(new W.NumberingProperties(new W.NumberingLevelReference { Val = 0 }, new W.NumberingId { Val = 1 })),
            Run(text)));

        public Body PageBreak() => Add(new W.Paragraph(new W.Run(new W.Break { Type = W.BreakValues.Page })));

        public Body Table(params string[][] rows) => Add(new W.Table(rows.Select(r =>
            new W.TableRow(r.Select(c => new W.TableCell(new W.Paragraph(Run(c))))))));

        private static W.Run Run(string text) => new(new W.Text(text) { Space = SpaceProcessingModeValues.Preserve });

        private Body Add(OpenXmlElement element)
        {
            Element.Append(element);
            return this;
        }
    }

    /// <summary>An XLSX with one sheet per entry: (name, rows), cells as inline strings or numbers.</summary>
    public static byte[] Xlsx(params (string Name, object[][] Rows)[] sheets)
    {
        using var output = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new S.Workbook(new S.Sheets());
            uint id = 1;
            foreach (var (name, rows) in sheets)
            {
                var sheetPart = workbook.AddNewPart<WorksheetPart>();
                var data = new S.SheetData();
                uint r = 1;
                foreach (var row in rows)
                {
                    var cells = row.Select((value, c) => value is double or int
                        ? new S.Cell { CellReference = $"{(char)('A' + c)}{r}", CellValue = new S.CellValue(Convert.ToDouble(value)), DataType = S.CellValues.Number }
                        : new S.Cell(new S.InlineString(new S.Text(value.ToString()!))) { CellReference = $"{(char)('A' + c)}{r}", DataType = S.CellValues.InlineString });
                    data.Append(new S.Row(cells) { RowIndex = r++ });
                }
                sheetPart.Worksheet = new S.Worksheet(data);
                workbook.Workbook.Sheets!.Append(new S.Sheet { Name = name, SheetId = id++, Id = workbook.GetIdOfPart(sheetPart) });
            }
            workbook.Workbook.Save();
        }
        return output.ToArray();
    }

    /// <summary>A PPTX with one slide per entry: a title placeholder, a body placeholder with bullet lines, optionally a table.</summary>
    public static byte[] Pptx(params (string Title, string[] Bullets, string[][]? Table)[] slides)
    {
        using var output = new MemoryStream();
        using (var document = PresentationDocument.Create(output, PresentationDocumentType.Presentation))
        {
            var presentation = document.AddPresentationPart();
            presentation.Presentation = new P.Presentation(new P.SlideIdList());
            uint id = 256;
            foreach (var (title, bullets, table) in slides)
            {
                var slidePart = presentation.AddNewPart<SlidePart>();
                var tree = new P.ShapeTree(
                    new P.NonVisualGroupShapeProperties(new P.NonVisualDrawingProperties { Id = 1, Name = "" },
                        new P.NonVisualGroupShapeDrawingProperties(), new P.ApplicationNonVisualDrawingProperties()),
                    new P.GroupShapeProperties(),
                    Shape(2, P.PlaceholderValues.Title, [title]),
                    Shape(3, P.PlaceholderValues.Body, bullets));
                if (table is not null)
                {
                    tree.Append(new P.GraphicFrame(
                        new P.NonVisualGraphicFrameProperties(new P.NonVisualDrawingProperties { Id = 4, Name = "Table" },
                            new P.NonVisualGraphicFrameDrawingProperties(), new P.ApplicationNonVisualDrawingProperties()),
                        new P.Transform(),
                        new A.Graphic(new A.GraphicData(new A.Table(table.Select(row =>
                            new A.TableRow(row.Select(cell => new A.TableCell(new A.TextBody(new A.BodyProperties(),
                                new A.Paragraph(new A.Run(new A.Text(cell))))))) { Height = 370840 })))
                        { Uri = "http://schemas.openxmlformats.org/drawingml/2006/table" })));
                }
                slidePart.Slide = new P.Slide(new P.CommonSlideData(tree));
                presentation.Presentation.SlideIdList!.Append(new P.SlideId { Id = id++, RelationshipId = presentation.GetIdOfPart(slidePart) });
            }
            presentation.Presentation.Save();
        }
        return output.ToArray();

        static P.Shape Shape(uint id, P.PlaceholderValues type, string[] lines) => new(
            new P.NonVisualShapeProperties(new P.NonVisualDrawingProperties { Id = id, Name = type.ToString() },
                new P.NonVisualShapeDrawingProperties(),
                new P.ApplicationNonVisualDrawingProperties(new P.PlaceholderShape { Type = type })),
            new P.ShapeProperties(),
            new P.TextBody(new[] { (OpenXmlElement)new A.BodyProperties() }
                .Concat(lines.Select(l => new A.Paragraph(new A.Run(new A.Text(l))))).ToArray()));
    }

    /// <summary>A zip archive with the given entries (name → bytes), optionally with an OOXML content-types part.</summary>
    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(content);
            }
        }
        return output.ToArray();
    }

    /// <summary>
    /// A PDF made by LibreOffice from HTML (h1/h2 become Writer's heading styles): with its outline (bookmarks), as
    /// LibreOffice exports by default, or without one. Each call has its own LibreOffice profile, so calls can run at once.
    /// </summary>
    public static byte[] LibreOfficePdf(string html, bool bookmarks = true)
    {
        var work = Directory.CreateTempSubdirectory("ingest-lo-").FullName;
        try
        {
            var source = Path.Combine(work, "document.html");
            File.WriteAllText(source, html);
            var filter = bookmarks ? "pdf" : "pdf:writer_pdf_Export:{\"ExportBookmarks\":{\"type\":\"boolean\",\"value\":\"false\"}}";
            Run("soffice", "--headless", $"-env:UserInstallation=file://{work}/profile", "--infilter=HTML (StarWriter)",
                "--convert-to", filter, "--outdir", work, source);
            return File.ReadAllBytes(Path.Combine(work, "document.pdf"));
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }

    public static void Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed: {stderr.Result}");
        }
    }

    /// <summary>Fonts installed on the machine: Liberation Sans for Latin text, Droid Sans Fallback (fonts-droid-fallback) for Chinese.</summary>
    private sealed class InstalledFonts : IFontResolver
    {
        public const string Latin = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf";
        public const string Cjk = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

        public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(familyName.Equals("Cjk", StringComparison.OrdinalIgnoreCase) ? "Cjk" : "Latin");

        public byte[] GetFont(string faceName) => File.ReadAllBytes(faceName == "Cjk" ? Cjk : Latin);
    }
}
