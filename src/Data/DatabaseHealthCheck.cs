using HealthChecks.NpgSql;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Data;

/// <summary>
/// The database check behind <c>/health/ready</c>: PostgreSQL through AspNetCore.HealthChecks.NpgSql, over the process's own
/// data source so it tests the pool requests use; SQLite through <see cref="SqliteHealthCheck"/>.
/// </summary>
internal static class DatabaseHealthCheck
{
    public static IHealthCheck For(Db db) => db.PostgresDataSource is { } postgres
        ? new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(postgres))
        : new SqliteHealthCheck(db);
}

/// <summary>
/// Written here rather than taken from a package: the package source serves AspNetCore.HealthChecks.Sqlite only as 3.1.1
/// (2020, built against Microsoft.Data.Sqlite 3.1), and the check is one <c>SELECT 1</c>.
/// </summary>
internal sealed class SqliteHealthCheck(Db db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await db.QuerySingleOrDefaultAsync<int>("SELECT 1", ct: ct);
            return HealthCheckResult.Healthy("SQLite reachable");
        }
        catch (Exception ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"SQLite unreachable: {ex.Message}", ex);
        }
    }
}
