using System.ComponentModel.DataAnnotations;
using Platform.Workers.Backup.Retention;

namespace Platform.Workers.Backup;

/// <summary>Section <c>Backup</c>.</summary>
public sealed class BackupOptions
{
    public const string Section = "Backup";

    /// <summary>The pg_dump program: a name on PATH or a full path (default <c>pg_dump</c>).</summary>
    [Required]
    public string PgDumpPath { get; set; } = "pg_dump";

    /// <summary>The pg_restore program, for verification and restore (default <c>pg_restore</c>).</summary>
    [Required]
    public string PgRestorePath { get; set; } = "pg_restore";

    /// <summary>Database to connect to when creating and dropping scratch databases (default <c>postgres</c>).</summary>
    [Required]
    public string MaintenanceDatabase { get; set; } = "postgres";

    /// <summary>Longest a dump may run before it is stopped and the job fails with <c>timeout</c> (default 2 h).</summary>
    public TimeSpan DumpTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Longest a verification restore may run (default 4 h).</summary>
    public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Retention of the primary store (seed: the newest 7, none older than 7 days).</summary>
    public RetentionRules Retention { get; set; } = new() { KeepLast = 7, MaxAgeDays = 7 };

    /// <summary>Base64 of a 32-byte key: when set, dumps are encrypted (AES-256-GCM) before they leave the process. Off by default.</summary>
    public string EncryptionKey { get; set; } = "";

    /// <summary>A second store that receives a copy of every backup, with its own retention.</summary>
    public OffsiteOptions Offsite { get; set; } = new();
}

/// <summary>Section <c>Backup:Offsite</c>.</summary>
public sealed class OffsiteOptions
{
    /// <summary>Empty (default): no off-site copy. <c>Local</c> (a folder, e.g. a mounted remote volume) or <c>S3</c> (<c>Backup:Offsite:S3:*</c>).</summary>
    public string Provider { get; set; } = "";

    /// <summary>Folder when <see cref="Provider"/> is <c>Local</c>.</summary>
    public string Root { get; set; } = "";

    /// <summary>Retention of the off-site copies (seed: daily copies for 30 days).</summary>
    public RetentionRules Retention { get; set; } = new() { KeepDaily = 30, MaxAgeDays = 30 };

    public bool Enabled => !string.IsNullOrWhiteSpace(Provider);
}
