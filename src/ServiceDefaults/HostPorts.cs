namespace Platform.ServiceDefaults;

/// <summary>
/// Each host's port when no setting chooses one (<see cref="ListenAddresses"/>). The Dockerfile, compose and the chart use
/// the same numbers; DeployFiles in the tests checks them against these.
/// </summary>
public static class HostPorts
{
    public const int Api = 8080;
    public const int Ingest = 8081;
    public const int Ai = 8082;
    public const int Backup = 8083;
}
