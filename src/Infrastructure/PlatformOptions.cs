using System.ComponentModel.DataAnnotations;

namespace Platform.Infrastructure;

/// <summary>System-of-record database. Section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (embedded default) or <c>PostgreSql</c>.</summary>
    [RegularExpression("^(Sqlite|PostgreSql)$", ErrorMessage = "Database:Provider must be Sqlite or PostgreSql.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>ADO.NET connection string. Default: a SQLite file under <c>data/</c>.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/platform.db";
}

/// <summary>Message bus. Section <c>Bus</c>. With no RabbitMQ URI the in-memory transport is used (single process).</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";

    /// <summary>For example <c>amqp://guest:guest@127.0.0.1:5672/</c>. Empty: in-memory transport.</summary>
    public string? RabbitMqUri { get; set; }

    /// <summary>Messages a consumer process takes from each queue before acknowledging (default 16).</summary>
    [Range(1, 1000)]
    public int PrefetchCount { get; set; } = 16;

    /// <summary>Retries of a transient failure before the job fails and the message goes to the error queue (default 3).</summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 3;

    /// <summary>First retry delay; later ones double, with jitter (default 1 s).</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public bool UsesRabbitMq => !string.IsNullOrWhiteSpace(RabbitMqUri);
}

/// <summary>Where uploads and dumps live. Section <c>Blobs</c>.</summary>
public sealed class BlobOptions
{
    public const string Section = "Blobs";

    /// <summary>Root folder of the local blob store (a shared volume in deployments). Default <c>data/blobs</c>.</summary>
    [Required]
    public string Root { get; set; } = "data/blobs";
}

/// <summary>Redis, for live progress and caching. Section <c>Redis</c>. Optional.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>StackExchange.Redis configuration, e.g. <c>127.0.0.1:6379</c>. Empty: no Redis.</summary>
    public string? Configuration { get; set; }
}
