using System.Security.Cryptography;
using System.Text;
using Platform.Data;

namespace Platform.Tests.Storage;

/// <summary>
/// A deployed schema step never changes: an install that ran it will not run it again, so an edit would give new installs
/// a schema old ones do not have. The SQL each step runs on each database is pinned here; a new step adds a line.
/// </summary>
[TestFixture]
public sealed class SchemaStepTests
{
    /// <summary>The first 16 hex digits of the SHA-256 of each step's SQL: PostgreSQL, SQLite.</summary>
    private static readonly Dictionary<int, (string PostgreSql, string Sqlite)> Deployed = new()
    {
        [1] = ("a914df714bf20da6", "05e25f151e3da62e"),
        [3] = ("4edf74fa82c8668a", "cd2596f7faed7cc4"),
        [4] = ("c3912bfa93365c8b", "a369ef635f0910ab"),
        [6] = ("cb9aa6c3e4d26b93", "62c0cf48f2863e21"),
        [7] = ("17db4fd369edb924", "415aa39e212486ca"),
        [8] = ("fd0c096670d88c4e", "fd0c096670d88c4e"),
        [9] = ("87243484b79a8574", "87243484b79a8574"),
        [10] = ("f2ded244725aead6", "7b4691f75de78cc9"),
        [11] = ("3fe2f94ae0517f92", "20117449291bb904"),
        [12] = ("8bed7d07bb40541a", "df56cacf79e20123"),
        [13] = ("b6de575acfc3aa88", "66c71afefb96789f"),
    };

    [Test]
    public void Should_run_exactly_the_SQL_deployed_installs_ran_for_every_step()
    {
        var steps = SchemaMigrations.All.ToDictionary(s => s.Version);
        Assert.That(steps.Keys, Is.SupersetOf(Deployed.Keys), "a deployed step was removed");
        foreach (var (version, pinned) in Deployed)
        {
            Assert.That((Hash(steps[version].PostgreSql), Hash(steps[version].Sqlite)), Is.EqualTo(pinned), $"step {version} changed");
        }
    }

    [Test]
    public void Should_never_leave_a_type_placeholder_in_the_SQL()
    {
        var leftovers = SchemaMigrations.All.SelectMany(s => new[] { s.PostgreSql, s.Sqlite })
            .Where(sql => System.Text.RegularExpressions.Regex.IsMatch(sql, @"\{(id|text|int|bigint|bool|false|time|bytes|real)\}"));
        Assert.That(leftovers, Is.Empty);
    }

    private static string Hash(string sql) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)))[..16];
}
