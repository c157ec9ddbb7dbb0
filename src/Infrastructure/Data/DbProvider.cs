namespace Platform.Infrastructure.Data;

public enum DbProvider
{
    Sqlite,
    PostgreSql,
}
