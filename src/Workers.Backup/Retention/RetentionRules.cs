namespace Platform.Workers.Backup.Retention;

/// <summary>
/// Which successful backups a store keeps. A backup is kept when any count rule selects it (the newest
/// <see cref="KeepLast"/>; the newest of each of the latest <see cref="KeepDaily"/> days, <see cref="KeepWeekly"/> ISO weeks,
/// <see cref="KeepMonthly"/> months) and it is not older than <see cref="MaxAgeDays"/>. With every count rule at 0 the
/// age rule alone decides. The newest verified backup and the newest successful backup are always kept.
/// </summary>
public sealed class RetentionRules
{
    public int KeepLast { get; set; }
    public int KeepDaily { get; set; }
    public int KeepWeekly { get; set; }
    public int KeepMonthly { get; set; }

    /// <summary>0: no age limit.</summary>
    public int MaxAgeDays { get; set; }

    public bool HasCountRules => KeepLast > 0 || KeepDaily > 0 || KeepWeekly > 0 || KeepMonthly > 0;

    public bool IsValid => KeepLast >= 0 && KeepDaily >= 0 && KeepWeekly >= 0 && KeepMonthly >= 0 && MaxAgeDays >= 0
        && (HasCountRules || MaxAgeDays > 0);
}
