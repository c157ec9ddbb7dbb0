namespace Platform.Tests.Support;

/// <summary>Polls until a condition holds. The patience only stops a hung test; it is not a timing under test.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"timed out waiting: {what}");
            await Task.Delay(50);
        }
    }
}
