using System.Diagnostics;
using Npgsql;
using Platform.Jobs;
using Platform.Workers.Backup.Dumps;

namespace Platform.Workers.Backup.Verification;

/// <summary>Runs <c>pg_restore</c> of a custom-format dump into a database, fed from a stream (stdin) or a file.</summary>
public sealed class PgRestore(string program)
{
    /// <summary>Streams <paramref name="dump"/> into pg_restore. Returns the exit code and stderr; the stream is read to its end either way.</summary>
    public async Task<(int ExitCode, string Errors)> FromStreamAsync(NpgsqlConnectionStringBuilder target, Stream dump, CancellationToken ct)
    {
        var start = StartInfo(target, jobs: 1);
        using var process = PgTools.Start(start);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        try
        {
            try
            {
                await dump.CopyToAsync(process.StandardInput.BaseStream, 1 << 20, ct);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // pg_restore stopped reading (it failed); what is left is drained below so the caller can still hash it.
            }
            await dump.CopyToAsync(Stream.Null, ct);
            await process.WaitForExitAsync(ct);
            await stdout;
            return (process.ExitCode, (await stderr).Trim());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Restores a dump file, with <paramref name="jobs"/> parallel workers.</summary>
    public async Task<(int ExitCode, string Errors)> FromFileAsync(NpgsqlConnectionStringBuilder target, string file, int jobs, CancellationToken ct)
    {
        var start = StartInfo(target, jobs);
        start.ArgumentList.Add(file);
        using var process = PgTools.Start(start);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, (await stderr).Trim());
    }

    private ProcessStartInfo StartInfo(NpgsqlConnectionStringBuilder target, int jobs)
    {
        var start = PgTools.StartInfo(program, target, target.Database ?? throw new JobFailureException(ReasonCodes.InvalidInput, "No target database."));
        // Owners and grants of the source server may not exist here; --exit-on-error makes a partial restore a failure.
        foreach (var arg in jobs > 1 ? ["--no-owner", "--no-privileges", "--exit-on-error", $"--jobs={jobs}"] : new[] { "--no-owner", "--no-privileges", "--exit-on-error" })
        {
            start.ArgumentList.Add(arg);
        }
        return start;
    }
}
