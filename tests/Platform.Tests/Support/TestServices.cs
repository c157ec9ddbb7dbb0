namespace Platform.Tests.Support;

/// <summary>
/// Where the real services the tests use are. scripts/services.sh starts them on these loopback defaults;
/// environment variables point the tests elsewhere.
/// </summary>
public static class TestServices
{
    public static string PostgresAdmin =>
        Environment.GetEnvironmentVariable("PLATFORM_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres";

    public static string RabbitMqHost => Environment.GetEnvironmentVariable("PLATFORM_TEST_RABBITMQ_HOST") ?? "127.0.0.1";

    public static Uri RabbitMqManagement =>
        new(Environment.GetEnvironmentVariable("PLATFORM_TEST_RABBITMQ_API") ?? "http://127.0.0.1:15672/");

    public static string Redis => Environment.GetEnvironmentVariable("PLATFORM_TEST_REDIS") ?? "127.0.0.1:6379";
}
