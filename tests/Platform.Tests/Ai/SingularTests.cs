using Platform.Data;

namespace Platform.Tests.Ai;

/// <summary>English plurals compared in the singular on the answer side (<see cref="TextTokenizer.Singular"/>).</summary>
public sealed class SingularTests
{
    [TestCase("workers", "worker")]
    [TestCase("libraries", "library")]
    [TestCase("boxes", "box")]
    [TestCase("matches", "match")]
    [TestCase("packages", "package")]
    public void Should_turn_a_plural_into_its_singular(string plural, string singular) =>
        Assert.That(TextTokenizer.Singular(plural), Is.EqualTo(singular));

    [TestCase("class")]
    [TestCase("status")]
    [TestCase("analysis")]
    [TestCase("bus")]
    [TestCase("worker")]
    [TestCase("ms")]
    [TestCase("版本")]
    [TestCase("debs2")]
    public void Should_leave_other_words_as_they_are(string word) =>
        Assert.That(TextTokenizer.Singular(word), Is.EqualTo(word));
}
