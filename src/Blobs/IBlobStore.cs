namespace Platform.Blobs;

/// <summary>Where uploads and dumps live. Keys are relative paths such as <c>uploads/acme/{id}/original</c>.</summary>
public interface IBlobStore
{
    /// <summary>Writes the stream under the key, replacing what was there. Readers never see a partial blob.</summary>
    Task<long> PutAsync(string key, Stream content, CancellationToken ct = default);

    /// <summary>Opens the blob for reading; <see cref="BlobNotFoundException"/> when it does not exist.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken ct = default);

    Task<bool> ExistsAsync(string key, CancellationToken ct = default);

    Task DeleteAsync(string key, CancellationToken ct = default);
}

public sealed class BlobNotFoundException(string key) : Exception($"No blob at '{key}'.")
{
    public string Key { get; } = key;
}
