using System.ComponentModel.DataAnnotations;

namespace Platform.Api.Security;

/// <summary>Section <c>RateLimits</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests one API key may make per minute across all API replicas (shared through Redis; default 1,200; 0 turns limits off).</summary>
    [Range(0, int.MaxValue)]
    public int PerKeyPerMinute { get; set; } = 1200;
}
