using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Platform.Blobs;

/// <summary>
/// Blobs in an S3-compatible bucket. Puts stream as a multipart upload, one part buffered at a time, so a dump of
/// any size never sits whole in memory; a failed put aborts the upload, so no partial object is ever visible.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    private const int MinPartSize = 5 * 1024 * 1024;
    private readonly IAmazonS3 _s3;
    private readonly S3BlobOptions _options;

    public S3BlobStore(S3BlobOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Bucket))
        {
            throw new ArgumentException("The S3 blob store needs a bucket (Blobs:S3:Bucket).", nameof(options));
        }
        _options = options;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // Checksum trailers (aws-chunked) are not understood by every S3-compatible server; send them only when required.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }
        _s3 = string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    public async Task<long> PutAsync(string key, Stream content, CancellationToken ct = default)
    {
        var partSize = Math.Max(MinPartSize, _options.PartSizeBytes);
        var buffer = new byte[partSize];
        var first = await FillAsync(content, buffer, ct);
        if (first < partSize)
        {
            // Small blob: one plain put.
            await _s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _options.Bucket, Key = ObjectKey(key), InputStream = new MemoryStream(buffer, 0, first, writable: false),
                AutoCloseStream = false, UseChunkEncoding = false,
            }, ct);
            return first;
        }

        var upload = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = ObjectKey(key) }, ct);
        var parts = new List<PartETag>();
        long total = 0;
        try
        {
            var filled = first;
            while (filled > 0)
            {
                var part = await _s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _options.Bucket, Key = ObjectKey(key), UploadId = upload.UploadId, PartNumber = parts.Count + 1,
                    InputStream = new MemoryStream(buffer, 0, filled, writable: false), PartSize = filled,
                    UseChunkEncoding = false,
                }, ct);
                parts.Add(new PartETag(parts.Count + 1, part.ETag));
                total += filled;
                filled = await FillAsync(content, buffer, ct);
            }
            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _options.Bucket, Key = ObjectKey(key), UploadId = upload.UploadId, PartETags = parts,
            }, ct);
            return total;
        }
        catch
        {
            await AbortAsync(key, upload.UploadId);
            throw;
        }
    }

    // An unfinished upload is never visible as an object. If even the abort fails (some S3-compatible servers lack it),
    // the original error matters more; a bucket lifecycle rule (AbortIncompleteMultipartUpload) reclaims the parts.
    private async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
            {
                BucketName = _options.Bucket, Key = ObjectKey(key), UploadId = uploadId,
            }, CancellationToken.None);
        }
        catch (AmazonServiceException)
        {
        }
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken ct = default)
    {
        try
        {
            var response = await _s3.GetObjectAsync(_options.Bucket, ObjectKey(key), ct);
            return new ResponseStream(response);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new BlobNotFoundException(key);
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct = default)
    {
        try
        {
            await _s3.GetObjectMetadataAsync(_options.Bucket, ObjectKey(key), ct);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct = default) =>
        _s3.DeleteObjectAsync(_options.Bucket, ObjectKey(key), ct); // S3 deletes are idempotent: a missing key is not an error

    public void Dispose() => _s3.Dispose();

    private string ObjectKey(string key)
    {
        if (key.Length == 0 || key.StartsWith('/') || key.Split('/').Any(p => p is ".." or "."))
        {
            throw new ArgumentException($"Blob key '{key}' is not a relative path.", nameof(key));
        }
        return _options.Prefix + key;
    }

    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }

    /// <summary>The object's body; disposing it releases the HTTP response too.</summary>
    private sealed class ResponseStream(GetObjectResponse response) : ForwardReadStream
    {
        private readonly Stream _body = response.ResponseStream;

        public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => _body.ReadAsync(buffer, ct);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => _body.ReadAsync(buffer, offset, count, ct);
        public override long Length => response.ContentLength;

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _body.Dispose();
                response.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
