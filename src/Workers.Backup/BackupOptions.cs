using System.ComponentModel.DataAnnotations;

namespace Platform.Workers.Backup;

/// <summary>Section <c>Backup</c>.</summary>
public sealed class BackupOptions
{
    public const string Section = "Backup";

    /// <summary>Successful backups kept by retention, newest first (default 7).</summary>
    [Range(1, 10_000)]
    public int KeepLast { get; set; } = 7;

    /// <summary>The pg_dump program: a name on PATH or a full path (default <c>pg_dump</c>).</summary>
    [Required]
    public string PgDumpPath { get; set; } = "pg_dump";

    /// <summary>Longest a dump may run before it is stopped and the job fails with <c>timeout</c> (default 2 h).</summary>
    public TimeSpan DumpTimeout { get; set; } = TimeSpan.FromHours(2);
}
