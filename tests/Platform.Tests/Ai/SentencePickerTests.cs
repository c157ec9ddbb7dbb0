using Platform.Data;
using Platform.Search;
using Platform.Workers.Ai.Answers;

namespace Platform.Tests.Ai;

/// <summary>
/// Which sentence the extractive answerer quotes first from passages shaped like the real ones in bench/quality (the Debian
/// FAQ as PDF text, the New Maintainers' Guide as wrapped plain text, distro-info's release table): whole sentences, with the
/// context that makes them an answer.
/// </summary>
[TestFixture]
public sealed class SentencePickerTests
{
    [Test]
    public void Should_quote_a_sentence_wrapped_over_lines_whole()
    {
        var best = Best("Who decided to use Toy Story names for Debian releases?",
            "• sid was the evil neighbor kid next door who broke all toys.\n" +
            "The decision (https://lists.debian.org/debian-devel/1996/06/msg00515.html) of us-\n" +
            "ing Toy Story names was made (https://lists.debian.org/debian-user/1997/04/msg00011.\n" +
            "html) by Bruce Perens who was, at the time, the Debian Project Leader.");

        Assert.That(best, Does.StartWith("The decision").And.Contain("by Bruce Perens"),
            "the line breaks (one inside a URL) do not end the sentence");
    }

    [Test]
    public void Should_quote_the_sentence_that_refers_back_with_the_one_it_refers_to()
    {
        var best = Best("Which file keeps the system-wide default paper size?",
            "Install the libpaper1 package, and it will ask you for a system-wide default paper size. " +
            "This setting will be kept in the file /etc/papersize. Users can override the paper size with PAPERSIZE.");

        Assert.That(best, Does.Contain("/etc/papersize"));
    }

    [Test]
    public void Should_quote_a_list_item_after_the_sentence_that_introduces_the_list()
    {
        var best = Best("Which copy tool has a delta-transfer algorithm that sends only the differences?",
            "Copying files with rsync(8) offers richer features than others.\n" +
            "- delta-transfer algorithm that sends only the differences between the source files and the destination\n" +
            "- quick check algorithm (by default) that looks for files that have changed in size");

        Assert.That(best, Does.StartWith("Copying files with rsync(8)").And.Contain("delta-transfer algorithm"));
    }

    [Test]
    public void Should_score_a_table_row_with_its_header_s_column_names()
    {
        var table = "version | codename | series | created | release\n1.3 | Bo | bo | 1996-06-17 | 1997-06-05\n2.0 | Hamm | hamm | 1997-06-05 | 1998-07-24";
        var prose = "It will display the version of the system (in the Release and Codename fields).";

        var best = Best("Which Debian version had the codename Hamm?", prose, table);

        Assert.That(best, Is.EqualTo("2.0 | Hamm | hamm | 1997-06-05 | 1998-07-24"));
    }

    [TestCase("What does the backup worker do?", "Workers.Backup dumps the database and proves each backup by restoring it.")]
    [TestCase("What do the backup workers do?", "The backup worker dumps the database and proves each backup by restoring it.")]
    public void Should_not_quote_a_sentence_that_only_shows_the_question_being_asked(string question, string answer)
    {
        var example = "Then, in another shell:\n" +
            "curl -F file=@README.md http://localhost:8080/api/v1/documents\n" +
            $"curl -H 'content-type: application/json' -d '{{\"question\":\"{question}\"}}' http://localhost:8080/api/v1/answers\n" +
            "curl http://localhost:8080/api/v1/answers/<jobId>";

        var best = Best(question, example, "Backups are kept for 30 days in the backup folder.", answer);

        Assert.That(best, Is.EqualTo(answer), "singular and plural match (worker, Workers), and the example is no answer");
    }

    [Test]
    public void Should_not_join_the_line_after_a_shell_command_onto_it()
    {
        var text = SentencePicker.Unwrap("Create the dictionary\nzstd --train samples/* -o dict\ncurl -H 'a: b' http://x/y\ncurl http://x/z");

        Assert.That(text.Split('\n'), Is.EqualTo(new[] { "Create the dictionary zstd --train samples/* -o dict", "curl -H 'a: b' http://x/y", "curl http://x/z" }),
            "a caption joins the command it heads; commands stay one per line");
    }

    private static string Best(string question, params string[] passages)
    {
        var hits = passages.Select(p => new SearchHit(Guid.NewGuid(), Guid.NewGuid(), 1, 1, "", p, p, 1)).ToList();
        var picks = SentencePicker.Choose(question, Retrieval.TermsOf(question), hits, 1);
        Assert.That(picks, Has.Count.EqualTo(1), "something is quoted");
        return picks[0].Sentence;
    }
}
