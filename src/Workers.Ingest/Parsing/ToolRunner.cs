using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Platform.Jobs;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// Runs an external tool (pdftotext, tesseract...) as a child process. Standard output is handed to the caller as a
/// stream so large outputs are never buffered; standard error is kept (bounded) for the failure message. The process
/// tree is killed when the token fires (cancel or per-file timeout), so no parser outlives its job.
/// </summary>
public static class ToolRunner
{
    private const int MaxStderrChars = 4000;

    public sealed record Result(int ExitCode, string StandardError);

    public static async Task<Result> RunAsync(string tool, IEnumerable<string> arguments, Func<StreamReader, Task>? readOutput,
        CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["OMP_THREAD_LIMIT"] = "1"; // tesseract: one thread per page, the worker's own concurrency decides the rest

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw ToolMissing(tool, ex);
        }

        await using var kill = ct.Register(() => Kill(process));
        var stderr = ReadBoundedAsync(process.StandardError);
        try
        {
            if (readOutput is not null)
            {
                await readOutput(process.StandardOutput);
            }
            // Drain what the reader did not want so the child never blocks on a full pipe.
            await process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, ct);
            await process.WaitForExitAsync(ct);
        }
        catch
        {
            Kill(process);
            throw;
        }
        ct.ThrowIfCancellationRequested();
        return new Result(process.ExitCode, await stderr);
    }

    /// <summary>Whether the tool can be started (found on PATH or at the given path).</summary>
    public static bool Exists(string tool)
    {
        if (tool.Contains('/'))
        {
            return File.Exists(tool);
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, tool)));
    }

    public static JobFailureException ToolMissing(string tool, Exception? inner = null) =>
        new(ReasonCodes.ToolMissing, $"The tool '{Path.GetFileName(tool)}' is not installed on the ingest worker ({Package(tool)}).",
            permanent: true, inner); // retrying cannot install it; the job ends at once and can be resubmitted

    private static string Package(string tool) => Path.GetFileName(tool) switch
    {
        "tesseract" => "Debian package tesseract-ocr with tesseract-ocr-chi-sim",
        _ => "Debian package poppler-utils",
    };

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private static async Task<string> ReadBoundedAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        var buffer = new char[1024];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            if (text.Length < MaxStderrChars)
            {
                text.Append(buffer, 0, Math.Min(read, MaxStderrChars - text.Length));
            }
        }
        return text.ToString().Trim();
    }
}
