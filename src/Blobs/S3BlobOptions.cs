namespace Platform.Blobs;

/// <summary>An S3-compatible bucket (AWS, MinIO, Ceph, s3rver). Section <c>Blobs:S3</c>, or <c>Backup:Offsite:S3</c> for the off-site copy.</summary>
public sealed class S3BlobOptions
{
    /// <summary>Endpoint such as <c>http://minio:9000</c>; empty means AWS itself, addressed by <see cref="Region"/>.</summary>
    public string ServiceUrl { get; set; } = "";

    /// <summary>Region (default <c>us-east-1</c>); S3-compatible servers mostly ignore it but sign with it.</summary>
    public string Region { get; set; } = "us-east-1";

    public string Bucket { get; set; } = "";

    /// <summary>Prepended to every key, e.g. <c>platform/</c>, so one bucket can hold several deployments.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Empty: the SDK's default credential chain (environment, instance role).</summary>
    public string AccessKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    /// <summary>Path-style addressing (<c>host/bucket/key</c>), which MinIO and s3rver need (default true).</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Size of one multipart-upload part, the most a put buffers (default 16 MiB; S3's minimum is 5 MiB).</summary>
    public int PartSizeBytes { get; set; } = 16 * 1024 * 1024;
}
