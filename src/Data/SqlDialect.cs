namespace Platform.Data;

/// <summary>
/// The few SQL expressions PostgreSQL and SQLite spell differently, named for what they mean, so queries outside this
/// project never branch on the database provider themselves.
/// </summary>
public sealed class SqlDialect(DbProvider provider)
{
    private string Pick(string postgres, string sqlite) => provider == DbProvider.PostgreSql ? postgres : sqlite;

    /// <summary>The first <paramref name="lengthParameter"/> characters of <paramref name="expression"/>.</summary>
    public string Left(string expression, string lengthParameter) =>
        Pick($"left({expression}, {lengthParameter})", $"substr({expression}, 1, {lengthParameter})");

    /// <summary>True where <paramref name="column"/> contains the text of <paramref name="parameter"/>.</summary>
    public string Contains(string column, string parameter) =>
        Pick($"strpos({column}, {parameter}) > 0", $"instr({column}, {parameter}) > 0");

    /// <summary>The UTC minute of a timestamp column as text, <c>yyyy-MM-ddTHH:mm</c>.</summary>
    public string UtcMinute(string column) =>
        Pick($"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI')", $"strftime('%Y-%m-%dT%H:%M', {column})");

    /// <summary>An expression as text (SQLite stores timestamps as text already).</summary>
    public string AsText(string expression) => Pick($"({expression})::text", expression);

    /// <summary>
    /// Statements that may write at once with profit: two keep PostgreSQL's round trip off the critical path; SQLite
    /// has one writer.
    /// </summary>
    public int ConcurrentWriters => provider == DbProvider.PostgreSql ? 2 : 1;
}
