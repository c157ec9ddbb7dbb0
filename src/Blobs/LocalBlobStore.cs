using Microsoft.Extensions.Options;

namespace Platform.Blobs;

/// <summary>Blobs as files under a root folder: the embedded default, and a shared volume in deployments.</summary>
public sealed class LocalBlobStore : IBlobStore
{
    private readonly string _root;

    public LocalBlobStore(IOptions<BlobOptions> options)
    {
        _root = Path.GetFullPath(options.Value.Root);
        Directory.CreateDirectory(_root);
    }

    public async Task<long> PutAsync(string key, Stream content, CancellationToken ct = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write beside the target and rename, so a crash mid-write never leaves a partial blob under the key.
        var temp = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, ct);
            }
            File.Move(temp, path, overwrite: true);
            return new FileInfo(path).Length;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            throw new BlobNotFoundException(key);
        }
        return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct = default) => Task.FromResult(File.Exists(PathOf(key)));

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Blob key '{key}' leaves the store root.", nameof(key));
        }
        return path;
    }
}
