using System.ComponentModel.DataAnnotations;

namespace Platform.Blobs;

/// <summary>Where uploads and dumps live. Section <c>Blobs</c>.</summary>
public sealed class BlobOptions
{
    public const string Section = "Blobs";

    /// <summary>Root folder of the local blob store (a shared volume in deployments). Default <c>data/blobs</c>.</summary>
    [Required]
    public string Root { get; set; } = "data/blobs";
}
