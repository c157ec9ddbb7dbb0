using System.ComponentModel.DataAnnotations;

namespace Platform.Api;

/// <summary>Section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest upload accepted, in bytes (default 50 MB). Larger uploads get 413 and nothing is stored.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>
    /// Host the ingest, AI and backup consumers in this process. Default: on when no broker is configured
    /// (single-process mode), off otherwise (workers run as their own processes).
    /// </summary>
    public bool? InProcessWorkers { get; set; }
}
