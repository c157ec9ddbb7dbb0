namespace Platform.Tests.Support;

/// <summary>
/// Removes a test's scratch folder. A process that is still stopping (a host's last log or key file, a database
/// server's shutdown checkpoint) can add a file while the folder is being removed; the removal is retried, and a
/// folder that still resists is reported and left behind, because a left-over temporary folder is not a failure of
/// the behaviour under test and must not fail the whole run from a teardown.
/// </summary>
public static class TestFolders
{
    public static void Delete(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 5)
                {
                    TestContext.Progress.WriteLine($"left scratch folder {path} behind: {e.Message}");
                    return;
                }
                Thread.Sleep(200 * attempt);
            }
        }
    }
}
