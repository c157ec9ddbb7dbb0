namespace Platform.Tests.EndToEnd;

public static class Samples
{
    public const string OperationsGuide = """
        # Operations guide

        ## Storage

        Job state lives in PostgreSQL. Redis keeps live progress for dashboards.

        ## Backups

        The nightly backup runs at two in the morning and writes a custom-format dump.
        Retention keeps the last seven backups. Each backup is verified by restoring it into a scratch database.
        """;
}
