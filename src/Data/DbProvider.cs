namespace Platform.Data;

public enum DbProvider
{
    Sqlite,
    PostgreSql,
}
