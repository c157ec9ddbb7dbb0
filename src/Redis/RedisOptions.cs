namespace Platform.Redis;

/// <summary>Redis, for live progress and caching. Section <c>Redis</c>. Optional.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>StackExchange.Redis configuration, e.g. <c>127.0.0.1:6379</c>. Empty: no Redis.</summary>
    public string? Configuration { get; set; }
}
