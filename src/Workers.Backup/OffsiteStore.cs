using Microsoft.Extensions.Options;
using Platform.Blobs;

namespace Platform.Workers.Backup;

/// <summary>The second, off-site store of <c>Backup:Offsite</c>; <see cref="Store"/> is null when none is configured.</summary>
public sealed class OffsiteStore(IOptions<BackupOptions> options, IConfiguration configuration)
{
    private readonly Lazy<IBlobStore?> _store = new(() => options.Value.Offsite.Enabled
        ? BlobStoreRegistration.Create(options.Value.Offsite.Provider, options.Value.Offsite.Root,
            configuration.GetSection($"{BackupOptions.Section}:Offsite:S3"))
        : null);

    public IBlobStore? Store => _store.Value;

    /// <summary>Copies a stored backup as it is (still encrypted, same checksum), streaming.</summary>
    public async Task CopyAsync(IBlobStore from, string key, CancellationToken ct)
    {
        var to = Store ?? throw new InvalidOperationException("No off-site store is configured.");
        await using var source = await from.OpenReadAsync(key, ct);
        await to.PutAsync(key, source, ct);
    }
}
