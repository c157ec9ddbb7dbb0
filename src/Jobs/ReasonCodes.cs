namespace Platform.Jobs;

/// <summary>Stable, machine-readable reasons a job failed. Integrations match on these; never rename one.</summary>
public static class ReasonCodes
{
    public const string CorruptFile = "corrupt_file";
    public const string Encrypted = "encrypted";
    public const string TooLarge = "too_large";
    public const string Timeout = "timeout";
    public const string NoText = "no_text";
    public const string UnsupportedType = "unsupported_type";
    public const string ToolMissing = "tool_missing";
    public const string NotFound = "not_found";
    public const string InvalidInput = "invalid_input";
    public const string BackupFailed = "backup_failed";
    public const string BackupInProgress = "backup_in_progress";
    public const string VerificationFailed = "verification_failed";
    public const string StoreUnavailable = "store_unavailable";
    public const string DatabaseUnavailable = "database_unavailable";
    public const string RetriesExhausted = "retries_exhausted";
    public const string WorkerLost = "worker_lost";
    public const string TenantNotProven = "tenant_not_proven";
}
