using Platform.Workers.Ingest.Parsing;

namespace Platform.Tests.Ingest;

public sealed class RepeatedSentenceTests
{
    private const string Note = "本教程文档已被重写为另外的 Debian 维护者指导文档，其中包含了更新的内容与更多实际例子。";

    private static ParsedDocument Guide(int chapters) => new(
        Enumerable.Range(1, chapters).Select(c => new Section(c, $"第 {c} 章", SectionKind.Paragraph,
            $"{Note}本章讲述第 {c} 个步骤，示例程序是 gentoo{c}。")).ToList(), chapters);

    [Test]
    public void Should_index_a_note_repeated_on_every_chapter_once_and_keep_each_chapters_own_text()
    {
        var chunks = ParserHarness.Pack(Guide(4));

        Assert.That(chunks.Count(c => c.Content.Contains(Note)), Is.EqualTo(1), "later copies of the note are left out");
        Assert.That(chunks[0].Content, Does.Contain(Note), "the first copy stays");
        Assert.That(Enumerable.Range(1, 4).All(c => chunks.Any(chunk => chunk.Content.Contains($"gentoo{c}"))), Is.True);
    }

    [Test]
    public void Should_keep_a_sentence_that_appears_only_twice()
    {
        var chunks = ParserHarness.Pack(Guide(2));

        Assert.That(chunks.Count(c => c.Content.Contains(Note)), Is.EqualTo(2));
    }
}
