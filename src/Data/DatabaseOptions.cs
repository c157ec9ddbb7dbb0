using System.ComponentModel.DataAnnotations;

namespace Platform.Data;

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

    /// <summary>True for a PostgreSQL server (deployments), false for the embedded SQLite file.</summary>
    public bool UsesPostgreSql => string.Equals(Provider, nameof(DbProvider.PostgreSql), StringComparison.OrdinalIgnoreCase);
}
