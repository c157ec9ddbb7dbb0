namespace Platform.Search.Models;

/// <summary>A chat model. Only the OpenAI-compatible one exists; the interface lets answering be tested against fakes too.</summary>
public interface IChatModel
{
    string Name { get; }

    /// <summary>The reply's text deltas, in order; their concatenation is the reply.</summary>
    IAsyncEnumerable<string> StreamAsync(string system, string user, CancellationToken ct = default);

    /// <summary>A reply constrained to a JSON object (response_format json_object).</summary>
    Task<string> CompleteJsonAsync(string system, string user, CancellationToken ct = default);
}
