using System.ClientModel;
using System.ClientModel.Primitives;
using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Embeddings;

namespace Platform.Search.Models;

/// <summary>
/// Embeddings from any OpenAI-compatible <c>POST {BaseUrl}/embeddings</c> (OpenAI, Ollama, vLLM, text-embeddings-inference),
/// in batches, with <see cref="ModelRetry"/> on 429/5xx. Vectors are re-normalised, since not every server returns unit length.
/// </summary>
public sealed class OpenAiEmbedder : IEmbedder
{
    private readonly EmbeddingClient _client;
    private readonly EmbeddingOptions _options;
    private readonly ModelRetry _retry;

    public OpenAiEmbedder(IOptions<EmbeddingOptions> options, ILogger<OpenAiEmbedder> logger, TimeProvider? clock = null)
    {
        _options = options.Value;
        _client = new EmbeddingClient(_options.Model, new ApiKeyCredential(_options.ApiKey is { Length: > 0 } k ? k : "none"),
            OpenAiClients.Options(_options.BaseUrl));
        _retry = new ModelRetry(_options.MaxRetries, _options.MaxRetryDelay, logger, clock);
    }

    public string Model => $"openai:{_options.Model}:{_options.Dimensions}";

    public int Dimensions => _options.Dimensions;

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct = default)
    {
        var result = new float[texts.Count][];
        var request = new EmbeddingGenerationOptions();
        if (_options.RequestDimensions)
        {
            request.Dimensions = _options.Dimensions;
        }
        var offset = 0;
        foreach (var batch in texts.Chunk(Math.Max(1, _options.BatchSize)))
        {
            // Servers reject empty input; a blank chunk embeds as a single space.
            var inputs = batch.Select(t => string.IsNullOrWhiteSpace(t) ? " " : t).ToList();
            var response = await _retry.RunAsync(async c => (await _client.GenerateEmbeddingsAsync(inputs, request, c)).Value, ct);
            foreach (var embedding in response)
            {
                var vector = embedding.ToFloats().ToArray();
                if (vector.Length != _options.Dimensions)
                {
                    throw new InvalidOperationException(
                        $"The model {_options.Model} returned {vector.Length} dimensions; set Embeddings:Dimensions to {vector.Length}.");
                }
                var norm = TensorPrimitives.Norm(vector);
                if (norm > 0)
                {
                    TensorPrimitives.Divide(vector, norm, vector);
                }
                result[offset + embedding.Index] = vector;
            }
            offset += batch.Length;
        }
        if (result.Any(r => r is null))
        {
            throw new InvalidOperationException("The model server returned fewer embeddings than inputs.");
        }
        return result;
    }
}

public static class OpenAiClients
{
    /// <summary>Client options for a configurable base URL, with the SDK's own retries off (<see cref="ModelRetry"/> decides).</summary>
    public static OpenAIClientOptions Options(string? baseUrl)
    {
        var options = new OpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(maxRetries: 0), NetworkTimeout = TimeSpan.FromMinutes(2) };
        if (!string.IsNullOrWhiteSpace(baseUrl))
        {
            options.Endpoint = new Uri(baseUrl);
        }
        return options;
    }
}
