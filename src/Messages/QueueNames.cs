namespace Platform.Messages;

/// <summary>
/// The fixed names of the command queues. Autoscaling (KEDA) and outside integrations address these by name,
/// so they never change; a new command gets a new queue.
/// </summary>
public static class QueueNames
{
    /// <summary>Queue of <see cref="ParseDocument"/>, consumed by Workers.Ingest.</summary>
    public const string ParseDocument = "parse-document";

    /// <summary>Queue of <see cref="EmbedDocument"/>, consumed by Workers.Ai.</summary>
    public const string EmbedDocument = "embed-document";

    /// <summary>Queue of <see cref="GenerateAnswer"/>, consumed by Workers.Ai.</summary>
    public const string GenerateAnswer = "generate-answer";

    /// <summary>Queue of <see cref="BackupDatabase"/>, consumed by Workers.Backup.</summary>
    public const string BackupDatabase = "backup-database";

    /// <summary>Queue of <see cref="ApplyBackupRetention"/>, consumed by Workers.Backup.</summary>
    public const string ApplyBackupRetention = "apply-backup-retention";

    /// <summary>Queue of <see cref="VerifyBackup"/>, consumed by Workers.Backup.</summary>
    public const string VerifyBackup = "verify-backup";

    /// <summary>Queue of <see cref="IngestDocument"/>, consumed by Workers.Ingest: documents submitted over the broker alone.</summary>
    public const string IngestDocument = "ingest-document";

    /// <summary>
    /// Queue bound to the <see cref="DocumentEmbedded"/> event, consumed by Workers.Ai to extract the knowledge graph.
    /// Not a command: nothing sends to it directly.
    /// </summary>
    public const string ExtractGraph = "extract-graph";

    /// <summary>Queue of <see cref="RunProbe"/>, consumed by every worker process: a job that does no work.</summary>
    public const string RunProbe = "run-probe";

    /// <summary>Every work queue (the command queues, then the event-fed ones), in the order the pipeline uses them.</summary>
    public static readonly IReadOnlyList<string> All =
        [IngestDocument, ParseDocument, EmbedDocument, GenerateAnswer, BackupDatabase, ApplyBackupRetention, VerifyBackup, ExtractGraph, RunProbe];
}
