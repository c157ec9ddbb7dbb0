using Platform.Data;
using Platform.Workers.Backup.Retention;
using BackupRow = Platform.Data.Backup;

namespace Platform.Tests.Backup;

/// <summary>Retention rules as a table of cases. Backups are named by age in days ("d3" started 3 days before now, at 02:00).</summary>
public sealed class RetentionPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero); // a Sunday

    // rules: KeepLast, KeepDaily, KeepWeekly, KeepMonthly, MaxAgeDays; backups: "d<age>[v|f]" (v: verified, f: failed); expected: deleted ones.
    private static readonly object[] Cases =
    [
        new object[] { "keep last 3", (3, 0, 0, 0, 0), "d0 d1 d2 d3 d4", "d3 d4" },
        new object[] { "age only: 7 days", (0, 0, 0, 0, 7), "d0 d3 d6 d7 d8 d30", "d7 d8 d30" },
        new object[] { "count and age: last 7, none older than 7 days", (7, 0, 0, 0, 7), "d0 d1 d2 d9 d10", "d9 d10" },
        new object[] { "daily 2 keeps the newest of each of the 2 newest days", (0, 2, 0, 0, 0), "d0 d0.5 d1 d1.5 d2", "d0.5 d1.5 d2" },
        new object[] { "weekly 2 keeps the newest of each of the 2 newest ISO weeks", (0, 0, 2, 0, 0), "d0 d1 d6 d7 d8 d14 d15", "d1 d6 d8 d14 d15" },
        new object[] { "monthly 2 keeps the newest of each of the 2 newest months", (0, 0, 0, 2, 0), "d0 d10 d25 d40 d70", "d10 d40 d70" },
        new object[] { "rules combine as a union", (1, 0, 2, 2, 0), "d0 d1 d8 d30", "d1" },
        new object[] { "the newest verified backup is never deleted", (2, 0, 0, 0, 0), "d0 d1 d2 d3v d4", "d2 d4" },
        new object[] { "the newest verified backup survives the age rule too", (0, 0, 0, 0, 7), "d0 d20v d30v", "d30v" },
        new object[] { "the newest backup survives even when every rule would drop it", (0, 0, 0, 0, 1), "d5 d6", "d6" },
        new object[] { "failed backups older than the newest success go", (5, 0, 0, 0, 0), "d0f d1 d2f d3", "d2f" },
        new object[] { "failed backups stay while there is no success", (1, 0, 0, 0, 0), "d0f d1f", "" },
        new object[] { "nothing to delete", (7, 0, 0, 0, 0), "d0 d1", "" },
    ];

    [TestCaseSource(nameof(Cases))]
    public void Should_delete_exactly_what_the_rules_no_longer_keep(string name, (int Last, int Daily, int Weekly, int Monthly, int MaxAge) r,
        string backups, string expectedDeleted)
    {
        var rules = new RetentionRules { KeepLast = r.Last, KeepDaily = r.Daily, KeepWeekly = r.Weekly, KeepMonthly = r.Monthly, MaxAgeDays = r.MaxAge };
        var rows = backups.Split(' ').Select(Row).ToList();

        var decision = RetentionPolicy.Decide(rows, rules, Now);

        var deleted = decision.Delete.Select(b => Name(rows, b)).OrderBy(n => n).ToList();
        Assert.That(deleted, Is.EqualTo(expectedDeleted.Split(' ', StringSplitOptions.RemoveEmptyEntries).OrderBy(n => n).ToList()), name);
    }

    [Test]
    public void Should_never_delete_running_backups()
    {
        var running = new BackupRow { Id = Guid.NewGuid(), Status = BackupStatus.Running, StartedAt = Now.AddDays(-40) };
        var decision = RetentionPolicy.Decide([running, Row("d0")], new RetentionRules { KeepLast = 1 }, Now);
        Assert.That(decision.Delete, Is.Empty);
    }

    private static BackupRow Row(string spec)
    {
        var verified = spec.EndsWith('v');
        var failed = spec.EndsWith('f');
        var age = double.Parse(spec.TrimStart('d').TrimEnd('v', 'f'), System.Globalization.CultureInfo.InvariantCulture);
        return new BackupRow
        {
            Id = Guid.NewGuid(), Status = failed ? BackupStatus.Failed : BackupStatus.Succeeded, BlobKey = spec,
            StartedAt = Now.Date.AddHours(2).AddDays(-Math.Floor(age)).AddHours(age % 1 == 0 ? 0 : -1) is var t ? new DateTimeOffset(t, TimeSpan.Zero) : default,
            VerifyStatus = verified ? VerifyStatus.Passed : null,
        };
    }

    private static string Name(List<BackupRow> rows, BackupRow b) => rows.Single(r => r.Id == b.Id).BlobKey;
}
