using Platform.Data;
using Platform.Search;
using Platform.Workers.Ai.Answers;

namespace Platform.Tests.Ai;

/// <summary>
/// What a user sees of the extractive answerer, on passages from the Debian FAQ (English and its Chinese translation) and
/// Debian's release table (distro-info-data): the fact rather than the FAQ's own question line, nothing quoted twice, "not
/// found" in the question's language, and a table row that keyword search finds kept by the default (hybrid) mode.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class AnswerQualityTests
{
    private const string ReleaseTable =
        "version | codename | series | created | release | eol\n" +
        "8 | Jessie | jessie | 2013-05-04 | 2015-04-26 | 2018-06-17\n" +
        "9 | Stretch | stretch | 2015-04-26 | 2017-06-17 | 2020-07-18\n" +
        "10 | Buster | buster | 2017-06-17 | 2019-07-06 | 2022-09-10\n" +
        "11 | Bullseye | bullseye | 2019-07-06 | 2021-08-14 | 2024-08-14";

    private SearchHarness _harness = null!;
    private ExtractiveAnswerer _answerer = null!;
    private Guid _table;

    [OneTimeSetUp]
    public async Task Index()
    {
        _harness = await SearchHarness.CreateAsync("Sqlite");
        await _harness.AddDocumentAsync("t", "faq.zh-cn.txt",
        [
            "1.1 Debian 计划是由谁建立的？\nDebian 计划于 1993 年由 Ian Murdock 建立，最初受到自由软件基金会的 GNU 计划的资助。",
            // A place named, with nothing about it: not an answer to a question about that place.
            "2.5 镜像站点\n您可以从离您最近的镜像站点下载，例如 (https://france.debian.net/) （位于法国）和 debian.ch。",
        ]);
        // The same sentence in two overlapping chunks of one document and in a duplicate upload.
        const string hold = "With apt, you can set a package to hold using apt-mark hold package_name.";
        await _harness.AddDocumentAsync("t", "faq.en.txt", ["7.12 How do I put a package on hold? " + hold, hold + " Remove the hold with apt-mark unhold."]);
        await _harness.AddDocumentAsync("t", "faq-copy.en.txt", [hold]);
        // Prose that talks about releases much like the question does, so vectors favour it over the table row.
        await _harness.AddDocumentAsync("t", "release-notes.txt",
        [
            "When was Debian released? Debian releases are made when they are ready, and each Debian release is named after a Toy Story character.",
            "Debian 10 was released as Buster; the release notes for Debian 10 Buster describe what changed when Buster was released.",
            "Buster, the release after Stretch, was released when the release team judged Debian 10 ready.",
            "A released Debian version is supported for about three years after it was released, then by the LTS team.",
        ]);
        _table = (await _harness.AddDocumentAsync("t", "debian.csv", [ReleaseTable])).DocumentId;
        _answerer = new ExtractiveAnswerer(new Retrieval(_harness.Search));
    }

    [OneTimeTearDown]
    public async Task Drop() => await _harness.DisposeAsync();

    [Test]
    public async Task Should_answer_a_Chinese_question_from_Chinese_text_with_the_fact_not_the_question_line()
    {
        var answer = await _answerer.AnswerAsync("t", "Debian 计划是由谁在哪一年建立的？", 10, CancellationToken.None);

        Assert.That(answer.Found, Is.True);
        Assert.That(answer.Text, Does.Contain("1993 年由 Ian Murdock 建立"));
        Assert.That(answer.Text, Does.Not.Contain("建立的？"), "the FAQ's question line is not an answer");
    }

    [Test]
    public async Task Should_never_repeat_a_sentence_across_overlapping_chunks_or_duplicate_documents()
    {
        var answer = await _answerer.AnswerAsync("t", "How do I put a package on hold with apt?", 10, CancellationToken.None);

        Assert.That(answer.Found, Is.True);
        var quoted = answer.Text.Split(" [", StringSplitOptions.None).Count(part => part.Contains("set a package to hold", StringComparison.Ordinal));
        Assert.That(quoted, Is.EqualTo(1), answer.Text);
    }

    [TestCase("法国的首都是哪里？", Retrieval.NotFoundTextChinese)]
    [TestCase("What is the boiling point of liquid nitrogen?", Retrieval.NotFoundText)]
    public async Task Should_say_not_found_in_the_question_s_language(string question, string expected)
    {
        var answer = await _answerer.AnswerAsync("t", question, 10, CancellationToken.None);

        Assert.That(answer.Found, Is.False);
        Assert.That(answer.Text, Is.EqualTo(expected));
    }

    [Test]
    public async Task Should_keep_a_table_row_that_keyword_search_finds_in_the_default_mode_and_quote_it()
    {
        const string question = "When was Debian 10 Buster released?";
        var keyword = await _harness.Search.SearchAsync(new SearchRequest("t", question, SearchMode.Keyword, 10));
        var hybrid = await _harness.Search.SearchAsync(new SearchRequest("t", question, SearchMode.Hybrid, 10));
        var answer = await _answerer.AnswerAsync("t", question, 10, CancellationToken.None);

        var keywordRank = keyword.ToList().FindIndex(h => h.DocumentId == _table);
        Assert.That(keywordRank, Is.InRange(0, 2), "precondition: keyword search ranks the table row in its top 3");
        Assert.That(hybrid.Take(3).Select(h => h.DocumentId), Does.Contain(_table));
        Assert.That(answer.Text, Does.Contain("10 | Buster | buster | 2017-06-17 | 2019-07-06"));
        Assert.That(answer.Text, Does.Not.Contain("version | codename"), "the header row names columns, it answers nothing");
    }

    [Test]
    public async Task Should_name_the_file_of_every_hit_and_citation()
    {
        var hits = await _harness.Search.SearchAsync(new SearchRequest("t", "When was Debian 10 Buster released?", SearchMode.Hybrid, 10));
        var answer = await _answerer.AnswerAsync("t", "When was Debian 10 Buster released?", 10, CancellationToken.None);

        var names = new Dictionary<Guid, string>();
        foreach (var id in hits.Select(h => h.DocumentId).Distinct())
        {
            names[id] = (await _harness.Documents.GetAsync(id))!.FileName;
        }
        Assert.That(hits.Select(h => h.FileName), Is.EqualTo(hits.Select(h => names[h.DocumentId])));
        Assert.That(answer.Citations.Select(c => c.FileName), Is.EqualTo(answer.Citations.Select(c => names[c.DocumentId])).And.Contains("debian.csv"));
    }

    [Test]
    public void Should_keep_keyword_s_top_three_in_keyword_order_whatever_the_vectors_say()
    {
        var ids = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToArray();
        var keyword = new[] { ids[0], ids[1], ids[2], ids[3] }.Select((id, i) => (id, 10.0 - i)).ToList();
        // Vectors rank keyword's fourth and three chunks keyword never found above keyword's top 3.
        var vector = new[] { ids[3], ids[4], ids[5], ids[6], ids[2] }.Select((id, i) => (id, 0.9 - i * 0.1)).ToList();

        var fused = HybridSearch.Fuse(keyword, vector).Select(f => f.ChunkId).ToList();

        Assert.That(fused.Take(3), Is.EqualTo(new[] { ids[0], ids[1], ids[2] }));
        Assert.That(fused[3], Is.EqualTo(ids[3]), "after the protected places, chunks in both lists lead");
        Assert.That(fused, Is.Unique.And.Count.EqualTo(7));
    }

    [TestCase("Debian 的代号 Potato 的版本号是多少？", new[] { "debian", "代号", "potato", "版本", "本号" })]
    [TestCase("典型的启动过程像是一个几级的火箭？", new[] { "典型", "启动", "动过", "过程", "程像", "一个", "火箭" })]
    public void Should_drop_Chinese_question_words_from_a_query(string query, string[] expected) =>
        Assert.That(TextTokenizer.TokenizeQuery(query), Is.EqualTo(expected));

    [TestCase("│ apt │ dpkg │", false)]
    [TestCase("6.2 What are all those names like etch, lenny, etc.? . . . . . . . . . . 29", false)]
    [TestCase("$ dpkg --get-selections \\* > selections.txt", false)]
    [TestCase("if (x) { y = f(z); } else { y = g(z); }", false)]
    [TestCase("How do I put a package on hold?", false)]
    [TestCase("The Debian Project was created by Ian Murdock in 1993.", true)]
    [TestCase("10 | Buster | buster | 2017-06-17 | 2019-07-06", true)]
    public void Should_quote_only_prose_and_table_rows(string sentence, bool quotable) =>
        Assert.That(SentencePicker.IsQuotable(sentence), Is.EqualTo(quotable));
}
