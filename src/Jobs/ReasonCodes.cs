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

    /// <summary>
    /// Failures a retry cannot change (the same bytes, input or caller fail the same way), each with what to do instead.
    /// Every other code may pass on retry (a server back, a tool installed, a busier moment over).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Permanent = new Dictionary<string, string>
    {
        [CorruptFile] = "The file is damaged or truncated; the same bytes fail again. Upload a repaired file.",
        [Encrypted] = "The file is password-protected; the same bytes fail again. Upload it without the password.",
        [UnsupportedType] = "The format is not one the platform reads; the same bytes fail again. Convert it and upload again.",
        [NoText] = "The file holds no text to index (empty, or images without OCR); the same bytes fail again.",
        [TooLarge] = "The file exceeds a configured limit (Ingest:MaxDocumentBytes, MaxPages, zip-bomb limits); raise it, then upload again.",
        [InvalidInput] = "The job's input is invalid; the same input fails again. Submit a corrected one.",
        [TenantNotProven] = "The command did not prove its tenant; the same command is refused again.",
    };

    /// <summary>Why a job failed with <paramref name="code"/> cannot succeed on retry; null when a retry may help.</summary>
    public static string? WhyRetryCannotHelp(string? code) => code is not null && Permanent.TryGetValue(code, out var why) ? why : null;
}
