namespace Platform.Search.Models;

/// <summary>Section <c>Chat</c>: an OpenAI-compatible chat model for answers and graph extraction. Empty model: none.</summary>
public sealed class ChatModelOptions
{
    public const string Section = "Chat";

    /// <summary>Model name, e.g. <c>gpt-4o-mini</c> or <c>qwen2.5:7b</c>. Empty (default): the extractive answerer and the
    /// rule-based graph extractor are used.</summary>
    public string? Model { get; set; }

    /// <summary>Base URL including <c>/v1</c>, e.g. <c>http://127.0.0.1:11434/v1</c>. Empty: api.openai.com.</summary>
    public string? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>Retries of 429/5xx before the answer fails (default 5); Retry-After is honoured.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>Longest wait between retries (default 60 s).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Upper bound of generated tokens per answer (default 800).</summary>
    public int MaxOutputTokens { get; set; } = 800;

    /// <summary>Use the model to extract the knowledge graph too (default true when a model is set).</summary>
    public bool ExtractGraph { get; set; } = true;

    public bool Configured => !string.IsNullOrWhiteSpace(Model);
}
