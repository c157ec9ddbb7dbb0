using System.Text.Json;
using Platform.Data;
using Platform.Messages;
using Platform.ServiceDefaults;

namespace Platform.Jobs;

/// <summary>The command that starts a job of each type, rebuilt from the job row alone (so the sweeper can re-send it).</summary>
public static class JobCommands
{
    public static object For(Job job) => job.Type switch
    {
        JobTypes.Ingest => new ParseDocument
        {
            JobId = job.Id, TenantId = job.TenantId, DocumentId = job.DocumentId!.Value, CorrelationId = job.CorrelationId,
        },
        JobTypes.Answer => Answer(job),
        JobTypes.Backup => new BackupDatabase { JobId = job.Id, CorrelationId = job.CorrelationId },
        JobTypes.BackupRetention => new ApplyBackupRetention
        {
            JobId = job.Id, DryRun = Read<RetentionInput>(job)?.DryRun ?? false, CorrelationId = job.CorrelationId,
        },
        JobTypes.BackupVerify => new VerifyBackup
        {
            JobId = job.Id, BackupId = Read<VerifyInput>(job)?.BackupId, CorrelationId = job.CorrelationId,
        },
        JobTypes.Probe => new RunProbe { JobId = job.Id, TenantId = job.TenantId, CorrelationId = job.CorrelationId },
        _ => throw new InvalidOperationException($"Job type '{job.Type}' has no command."),
    };

    private static GenerateAnswer Answer(Job job)
    {
        var input = Read<AnswerInput>(job) ?? throw new InvalidOperationException($"Answer job {job.Id} has no input.");
        return new GenerateAnswer
        {
            JobId = job.Id, TenantId = job.TenantId, Question = input.Question, TopK = input.TopK, CorrelationId = job.CorrelationId,
        };
    }

    private static T? Read<T>(Job job) => job.Input is null ? default : JsonSerializer.Deserialize<T>(job.Input, Json.Options);
}

public sealed record AnswerInput(string Question, int? TopK);

public sealed record RetentionInput(bool DryRun);

public sealed record VerifyInput(Guid? BackupId);
