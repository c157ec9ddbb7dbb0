using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Platform.Jobs;

/// <summary>
/// Checks a presented API key against <c>Auth:ApiKeys</c>, compared by SHA-256 in constant time. Shared by the REST
/// API (header <c>X-Api-Key</c>) and by consumers of commands that carry a key (<c>IngestDocument.ApiKey</c>), so a
/// key means the same tenant and scopes on every way in.
/// </summary>
public sealed class ApiKeyVerifier(IOptionsMonitor<ApiKeyOptions> options)
{
    public const string DefaultTenant = "default";
    public const string Read = "read";
    public const string Submit = "submit";
    public const string Admin = "admin";

    /// <summary>Who every caller is when no keys are configured (local use only).</summary>
    public static readonly VerifiedKey Anonymous = new("anonymous", DefaultTenant, [Read, Submit, Admin]);

    private Known _known = Known.Empty;

    /// <summary>False when no keys are configured: then everyone is <see cref="Anonymous"/>.</summary>
    public bool KeysConfigured => options.CurrentValue.ApiKeys.Count > 0;

    /// <summary>The key's identity, <see cref="Anonymous"/> when no keys are configured, null when the key is missing or unknown.</summary>
    public VerifiedKey? Verify(string? presented)
    {
        var known = KnownKeys();
        if (known.Keys.Length == 0)
        {
            return Anonymous;
        }
        if (string.IsNullOrWhiteSpace(presented))
        {
            return null;
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented.Trim()), hash);
        foreach (var (expected, key) in known.Keys)
        {
            if (expected is not null && CryptographicOperations.FixedTimeEquals(expected, hash))
            {
                return key;
            }
        }
        return null;
    }

    /// <summary>
    /// The configured keys with their hashes decoded, built again only when the options change (a reload gives a new
    /// options object): every request is checked against them, so they are not decoded per request.
    /// </summary>
    private Known KnownKeys()
    {
        var current = options.CurrentValue;
        var known = Volatile.Read(ref _known);
        if (!ReferenceEquals(known.Source, current))
        {
            known = new Known(current, [.. current.ApiKeys.Select(entry => (
                entry.Sha256 is { Length: 64 } hex ? Convert.FromHexString(hex)
                    : entry.Key is { Length: > 0 } clear ? SHA256.HashData(Encoding.UTF8.GetBytes(clear)) : null,
                new VerifiedKey(entry.Name, entry.Tenant, entry.Scopes.Count > 0 ? [.. entry.Scopes] : [Read, Submit])))]);
            Volatile.Write(ref _known, known);
        }
        return known;
    }

    private sealed record Known(ApiKeyOptions? Source, (byte[]? Hash, VerifiedKey Key)[] Keys)
    {
        public static readonly Known Empty = new(null, []);
    }
}

/// <summary>What a verified key stands for.</summary>
public sealed record VerifiedKey(string Name, string Tenant, IReadOnlyList<string> Scopes)
{
    /// <summary>May this key submit work for its tenant?</summary>
    public bool CanSubmit => Scopes.Contains(ApiKeyVerifier.Submit) || Scopes.Contains(ApiKeyVerifier.Admin);
}
