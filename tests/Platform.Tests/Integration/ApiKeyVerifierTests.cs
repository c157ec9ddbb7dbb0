using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Platform.Jobs;

namespace Platform.Tests.Integration;

/// <summary>The key check that the REST API and the IngestDocument consumer share.</summary>
[TestFixture]
public sealed class ApiKeyVerifierTests
{
    private static ApiKeyVerifier Verifier(params ApiKeyOptionsEntry[] keys) =>
        new(new StaticOptions(new ApiKeyOptions { ApiKeys = [.. keys] }));

    [Test]
    public void Should_treat_everyone_as_the_default_tenant_with_all_scopes_when_no_keys_are_configured()
    {
        var key = Verifier().Verify(null);
        Assert.That(key, Is.Not.Null);
        Assert.That(key!.Tenant, Is.EqualTo("default"));
        Assert.That(key.Scopes, Is.EquivalentTo(new[] { "read", "submit", "admin" }));
    }

    [Test]
    public void Should_match_a_key_by_its_sha256_and_give_its_tenant_and_scopes()
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("s3cret")));
        var verifier = Verifier(new ApiKeyOptionsEntry { Name = "acme", Sha256 = hash, Tenant = "acme", Scopes = ["read"] });

        var key = verifier.Verify("s3cret");
        Assert.That(key?.Tenant, Is.EqualTo("acme"));
        Assert.That(key!.CanSubmit, Is.False, "read only");
        Assert.That(verifier.Verify("S3CRET"), Is.Null);
        Assert.That(verifier.Verify(null), Is.Null);
        Assert.That(verifier.Verify(""), Is.Null);
    }

    [Test]
    public void Should_match_a_clear_text_key_with_read_and_submit_by_default()
    {
        var verifier = Verifier(new ApiKeyOptionsEntry { Name = "dev", Key = "dev-key", Tenant = "globex" });

        var key = verifier.Verify("dev-key");
        Assert.That(key?.Tenant, Is.EqualTo("globex"));
        Assert.That(key!.Scopes, Is.EquivalentTo(new[] { "read", "submit" }));
        Assert.That(key.CanSubmit, Is.True);
        Assert.That(verifier.Verify("other"), Is.Null);
    }

    [Test]
    public void Should_honour_the_keys_of_reloaded_options_and_forget_removed_ones()
    {
        var options = new StaticOptions(new ApiKeyOptions { ApiKeys = [new() { Name = "old", Key = "old-key", Tenant = "acme" }] });
        var verifier = new ApiKeyVerifier(options);
        Assert.That(verifier.Verify("old-key")?.Tenant, Is.EqualTo("acme"));

        // A configuration reload gives the monitor a new options object; the verifier's decoded keys follow it.
        options.Value = new ApiKeyOptions { ApiKeys = [new() { Name = "new", Key = "new-key", Tenant = "globex" }] };

        Assert.That(verifier.Verify("new-key")?.Tenant, Is.EqualTo("globex"));
        Assert.That(verifier.Verify("old-key"), Is.Null, "a removed key must stop working without a restart");
    }

    private sealed class StaticOptions(ApiKeyOptions value) : IOptionsMonitor<ApiKeyOptions>
    {
        public ApiKeyOptions Value { get; set; } = value;

        public ApiKeyOptions CurrentValue => Value;

        public ApiKeyOptions Get(string? name) => Value;

        public IDisposable? OnChange(Action<ApiKeyOptions, string?> listener) => null;
    }
}
