using System.Security.Cryptography;
using Amazon.Runtime;
using Npgsql;
using Platform.Jobs;

namespace Platform.Workers.Backup;

/// <summary>Turns what went wrong during a dump or restore into a stable reason, so the failed job says why.</summary>
public static class BackupFailures
{
    public static Exception Classify(Exception ex) => ex switch
    {
        JobFailureException or OperationCanceledException => ex,
        PostgresException pg when pg.SqlState is "28P01" or "28000" or "3D000" =>
            new JobFailureException(ReasonCodes.DatabaseUnavailable, $"The database refused the connection: {pg.MessageText}", true, ex),
        NpgsqlException => new JobFailureException(ReasonCodes.DatabaseUnavailable, $"The database is unreachable: {ex.Message}", false, ex),
        AmazonServiceException or AmazonClientException or HttpRequestException or IOException or UnauthorizedAccessException =>
            new JobFailureException(ReasonCodes.StoreUnavailable, $"The backup store failed: {ex.Message}", false, ex),
        CryptographicException => new JobFailureException(ReasonCodes.BackupFailed, $"Encryption failed: {ex.Message}", true, ex),
        _ => ex,
    };
}
