using Platform.Data;

namespace Platform.Tests.Ai;

/// <summary>The row counts PostgreSQL's bm25 uses for a term counted only up to a cap (<see cref="PostgresKeywordRanking"/>).</summary>
public sealed class PostgresKeywordRankingTests
{
    [Test]
    public void Should_take_a_capped_term_s_rows_from_the_column_statistics_and_keep_exact_counts()
    {
        var counted = new List<(string, long)> { ("debian", 5000), ("architectures", 12), ("unseen", 5000) };
        var shares = new Dictionary<string, double> { ["debian"] = 0.6, ["architectures"] = 0.9 };

        var rows = PostgresKeywordRanking.WithCommonRows(counted, cap: 5000, rows: 100_000, shares);

        Assert.That(rows, Is.EqualTo(new List<(string, long)> { ("debian", 60_000), ("architectures", 12), ("unseen", 5000) }),
            "a capped term takes its share of the rows; an exact count stays; a capped term without statistics keeps the cap");
    }
}
