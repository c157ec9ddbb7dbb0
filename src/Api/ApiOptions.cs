using System.ComponentModel.DataAnnotations;

namespace Platform.Api;

/// <summary>Section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest upload accepted, in bytes (default 50 MB). Larger uploads get 413 and nothing is stored.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;
}
