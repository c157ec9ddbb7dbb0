using DocumentFormat.OpenXml.Packaging;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// PPTX: one slide is one page, in presentation order. The title placeholder is the heading; each other shape's text
/// is a paragraph (a list when it has several bullet lines); tables are table sections; speaker notes follow the slide.
/// </summary>
public static class PptxParser
{
    public static ParsedDocument Parse(ParseContext context)
    {
        using var document = PresentationDocument.Open(context.FilePath, false);
        var presentation = document.PresentationPart ?? throw new InvalidDataException("the presentation part is missing");
        var slideIds = presentation.Presentation?.SlideIdList?.Elements<P.SlideId>().ToList() ?? [];
        if (slideIds.Count > context.Options.MaxPages)
        {
            throw new Platform.Jobs.JobFailureException(Platform.Jobs.ReasonCodes.TooLarge,
                $"The presentation has {slideIds.Count:N0} slides; the limit is {context.Options.MaxPages:N0}.");
        }
        var sections = new List<Section>();
        for (var i = 0; i < slideIds.Count; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.Progress(i, slideIds.Count).GetAwaiter().GetResult();
            var page = i + 1;
            if (slideIds[i].RelationshipId?.Value is not { } rel || presentation.GetPartById(rel) is not SlidePart slide)
            {
                continue;
            }
            var tree = slide.Slide?.CommonSlideData?.ShapeTree;
            if (tree is null)
            {
                continue;
            }
            var shapes = tree.Descendants<P.Shape>().ToList();
            var title = shapes.Where(IsTitle).Select(s => ShapeLines(s).FirstOrDefault(l => l.Length > 0)).FirstOrDefault(t => t is not null) ?? "";
            var heading = title.Length > 0 ? $"Slide {page}: {title}" : $"Slide {page}";
            foreach (var element in tree.Descendants())
            {
                if (element is P.Shape shape && !IsTitle(shape))
                {
                    var lines = ShapeLines(shape).Where(l => l.Length > 0).ToList();
                    if (lines.Count > 1 && IsBody(shape))
                    {
                        sections.Add(new Section(page, heading, SectionKind.List, string.Join('\n', lines.Select(l => "- " + l))));
                    }
                    else if (lines.Count > 0)
                    {
                        sections.Add(new Section(page, heading, SectionKind.Paragraph, string.Join('\n', lines)));
                    }
                }
                else if (element is A.Table table)
                {
                    var rows = table.Elements<A.TableRow>()
                        .Select(r => string.Join(" | ", r.Elements<A.TableCell>().Select(c => DocxParser.Clean(string.Join(' ',
                            c.Descendants<A.Paragraph>().Select(p => string.Concat(p.Descendants<A.Text>().Select(t => t.Text))))))))
                        .Where(r => r.Replace("|", "").Trim().Length > 0)
                        .ToList();
                    if (rows.Count > 0)
                    {
                        sections.Add(new Section(page, heading, SectionKind.Table, string.Join('\n', rows)));
                    }
                }
            }
            if (title.Length > 0 && !sections.Any(s => s.Page == page))
            {
                sections.Add(new Section(page, heading, SectionKind.Paragraph, title));
            }
            var notes = slide.NotesSlidePart?.NotesSlide?.CommonSlideData?.ShapeTree?.Descendants<P.Shape>()
                .Where(s => s.NonVisualShapeProperties?.ApplicationNonVisualDrawingProperties?.PlaceholderShape?.Type?.Value == P.PlaceholderValues.Body)
                .SelectMany(ShapeLines).Where(l => l.Length > 0).ToList();
            if (notes is { Count: > 0 })
            {
                sections.Add(new Section(page, heading + " > Notes", SectionKind.Paragraph, string.Join('\n', notes)));
            }
        }
        return new ParsedDocument(sections, slideIds.Count) { Format = "pptx" };
    }

    private static bool IsTitle(P.Shape shape) =>
        shape.NonVisualShapeProperties?.ApplicationNonVisualDrawingProperties?.PlaceholderShape?.Type?.Value is { } type
        && (type == P.PlaceholderValues.Title || type == P.PlaceholderValues.CenteredTitle);

    private static bool IsBody(P.Shape shape) =>
        shape.NonVisualShapeProperties?.ApplicationNonVisualDrawingProperties?.PlaceholderShape is { } placeholder
        && (placeholder.Type is null || placeholder.Type.Value == P.PlaceholderValues.Body);

    private static IEnumerable<string> ShapeLines(P.Shape shape) =>
        shape.TextBody?.Elements<A.Paragraph>().Select(p => DocxParser.Clean(string.Concat(p.Descendants<A.Text>().Select(t => t.Text))))
        ?? [];
}
