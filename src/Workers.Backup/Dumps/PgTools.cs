using System.ComponentModel;
using System.Data.Common;
using System.Diagnostics;
using Npgsql;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Workers.Backup.Dumps;

/// <summary>Starting the PostgreSQL client programs and opening connections, with failures turned into job reasons.</summary>
public static class PgTools
{
    public static ProcessStartInfo StartInfo(string program, NpgsqlConnectionStringBuilder cs, string database)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            ArgumentList = { "--no-password", "--host", cs.Host ?? "localhost", "--port", cs.Port.ToString(),
                "--username", cs.Username ?? "postgres", "--dbname", database },
        };
        if (!string.IsNullOrEmpty(cs.Password))
        {
            start.Environment["PGPASSWORD"] = cs.Password;
        }
        return start;
    }

    public static Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new JobFailureException(ReasonCodes.ToolMissing, $"{start.FileName} did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new JobFailureException(ReasonCodes.ToolMissing,
                $"{start.FileName} could not be started ({ex.Message}). Install the PostgreSQL client (postgresql-client) or set Backup:{Path.GetFileName(start.FileName) switch { "pg_restore" => "PgRestorePath", _ => "PgDumpPath" }}.");
        }
    }

    /// <summary>Opens a connection; a server that is down is worth a retry, wrong credentials or a missing database are not.</summary>
    public static async Task<DbConnection> OpenAsync(Db db, CancellationToken ct)
    {
        try
        {
            return await db.OpenAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState is "28P01" or "28000" or "3D000")
        {
            throw new JobFailureException(ReasonCodes.DatabaseUnavailable, $"The database refused the connection: {ex.MessageText}", permanent: true, ex);
        }
        catch (NpgsqlException ex)
        {
            throw new JobFailureException(ReasonCodes.DatabaseUnavailable, $"The database is unreachable: {ex.Message}", permanent: false, ex);
        }
    }
}
