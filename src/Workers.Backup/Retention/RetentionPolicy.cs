using System.Globalization;
using BackupRow = Platform.Data.Backup;
using Platform.Data;

namespace Platform.Workers.Backup.Retention;

/// <summary>The decision of a retention run: what goes, and why what stays is kept.</summary>
public sealed record RetentionDecision(IReadOnlyList<BackupRow> Delete, IReadOnlyDictionary<Guid, string> KeptBecause);

public static class RetentionPolicy
{
    /// <summary>
    /// Applies <paramref name="rules"/> to the backups present in one store. Successful backups are judged by the rules;
    /// failed ones older than the newest success go (they hold no file, only a record). Running ones are never touched.
    /// </summary>
    public static RetentionDecision Decide(IReadOnlyList<BackupRow> backups, RetentionRules rules, DateTimeOffset now)
    {
        var succeeded = backups.Where(b => b.Status == BackupStatus.Succeeded).OrderByDescending(b => b.StartedAt).ToList();
        var kept = new Dictionary<Guid, string>();
        void Keep(BackupRow b, string why) => kept.TryAdd(b.Id, why);

        if (succeeded.FirstOrDefault() is { } newest)
        {
            Keep(newest, "newest");
        }
        if (succeeded.FirstOrDefault(b => b.VerifyStatus == VerifyStatus.Passed) is { } newestVerified)
        {
            Keep(newestVerified, "newest verified");
        }

        var cutoff = rules.MaxAgeDays > 0 ? now.AddDays(-rules.MaxAgeDays) : DateTimeOffset.MinValue;
        var young = succeeded.Where(b => b.StartedAt >= cutoff).ToList();
        if (!rules.HasCountRules)
        {
            young.ForEach(b => Keep(b, $"younger than {rules.MaxAgeDays} days"));
        }
        young.Take(rules.KeepLast).ToList().ForEach(b => Keep(b, "last"));
        KeepNewestPerBucket(young, rules.KeepDaily, b => b.StartedAt.UtcDateTime.ToString("yyyy-MM-dd"), "daily", Keep);
        KeepNewestPerBucket(young, rules.KeepWeekly, b => $"{ISOWeek.GetYear(b.StartedAt.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(b.StartedAt.UtcDateTime)}", "weekly", Keep);
        KeepNewestPerBucket(young, rules.KeepMonthly, b => b.StartedAt.UtcDateTime.ToString("yyyy-MM"), "monthly", Keep);

        var newestSuccess = succeeded.FirstOrDefault()?.StartedAt;
        var delete = succeeded.Where(b => !kept.ContainsKey(b.Id))
            .Concat(backups.Where(b => b.Status == BackupStatus.Failed && newestSuccess is not null && b.StartedAt < newestSuccess))
            .OrderBy(b => b.StartedAt).ToList();
        return new RetentionDecision(delete, kept);
    }

    // Backups arrive newest first, so the first of each bucket is its newest.
    private static void KeepNewestPerBucket(List<BackupRow> newestFirst, int buckets, Func<BackupRow, string> bucketOf, string rule,
        Action<BackupRow, string> keep)
    {
        foreach (var group in newestFirst.GroupBy(bucketOf).Take(buckets))
        {
            keep(group.First(), rule);
        }
    }
}
