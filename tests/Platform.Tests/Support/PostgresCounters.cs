using Npgsql;

namespace Platform.Tests.Support;

/// <summary>
/// Reads PostgreSQL's cumulative statistics (pg_stat_*) of a test database. A backend reports its counts when its
/// connection closes (or after a second idle), so a test closes the connections whose work it counts and then waits
/// here until the counts have arrived and stopped moving.
/// </summary>
public static class PostgresCounters
{
    /// <summary>A fresh, unpooled connection: the statistics snapshot is per transaction, a new one sees the newest.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(PostgresDatabase database)
    {
        var connection = new NpgsqlConnection($"{database.ConnectionString};Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// <paramref name="read"/> once <paramref name="reported"/> holds and two reads 300 ms apart agree
    /// (<paramref name="same"/>); fails the test after 30 s.
    /// </summary>
    public static async Task<T> SettledAsync<T>(Func<Task<T>> read, Func<T, bool> reported, Func<T, T, bool> same)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var last = await read();
        while (true)
        {
            await Task.Delay(300);
            var now = await read();
            if (reported(now) && same(now, last))
            {
                return now;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"PostgreSQL did not report the counts within 30 s (last: {now})");
            }
            last = now;
        }
    }
}
