using Platform.Bench.Peers;

namespace Platform.Tests.Bench;

/// <summary>bench/peers counts lost and duplicated jobs of every system with this checker; a wrong count would pass a broken system.</summary>
public sealed class LedgerTests
{
    [Test]
    public void Should_count_no_loss_and_no_duplicate_when_every_number_ran_once_in_any_order()
    {
        Assert.That(Ledger.Check(1, 5, [3, 1, 5, 2, 4]), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public void Should_count_each_number_that_never_ran_as_lost()
    {
        Assert.That(Ledger.Check(1, 5, [1, 4]), Is.EqualTo((3L, 0L)));
    }

    [Test]
    public void Should_count_every_execution_beyond_the_first_as_a_duplicate()
    {
        Assert.That(Ledger.Check(1, 4, [1, 2, 2, 3, 4, 4, 4]), Is.EqualTo((0L, 3L)));
    }

    [Test]
    public void Should_ignore_numbers_outside_the_checked_range()
    {
        // Another round's jobs in the same log neither hide a loss nor count as duplicates.
        Assert.That(Ledger.Check(10, 3, [9, 10, 11, 13, 13]), Is.EqualTo((1L, 0L)));
    }

    [Test]
    public void Should_read_one_number_a_line_from_every_file_and_skip_blank_lines()
    {
        var folder = Directory.CreateTempSubdirectory("ledger-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "a.txt"), "1\n2\n\n");
            File.WriteAllText(Path.Combine(folder.FullName, "b.txt"), "2\n3\n");
            var numbers = Ledger.ReadFiles(Directory.EnumerateFiles(folder.FullName)).Order().ToList();
            Assert.That(numbers, Is.EqualTo(new long[] { 1, 2, 2, 3 }));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
