namespace Platform.Workers.Backup.Dumps;

/// <summary>Writes a consistent dump of the system-of-record database into the blob store.</summary>
public interface IDatabaseDumper
{
    /// <summary><c>postgresql</c> or <c>sqlite</c>: how the dump is restored.</summary>
    string Provider { get; }

    Task<DumpResult> DumpAsync(string blobKey, CancellationToken ct);
}

/// <summary>What was written, and the facts the manifest records. Row counts are of the same snapshot the dump holds.</summary>
public sealed record DumpResult(long SizeBytes, string Sha256, string Format, string ServerVersion, IReadOnlyDictionary<string, long> TableRowCounts,
    bool Encrypted = false);
