using System.ClientModel;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI.Chat;
using Platform.Data;

namespace Platform.Search.Models;

/// <summary>
/// Any OpenAI-compatible <c>POST {BaseUrl}/chat/completions</c>, streaming (server-sent chunks) or JSON mode. A 429/5xx before the
/// first token is retried (<see cref="ModelRetry"/>); once tokens flowed, a failure fails the attempt and the job retries it whole.
/// </summary>
public sealed class OpenAiChatModel : IChatModel
{
    private readonly ChatClient _client;
    private readonly ChatModelOptions _options;
    private readonly ModelRetry _retry;

    public OpenAiChatModel(IOptions<ChatModelOptions> options, ILogger<OpenAiChatModel> logger, TimeProvider? clock = null)
    {
        _options = options.Value;
        _client = new ChatClient(_options.Model, new ApiKeyCredential(_options.ApiKey is { Length: > 0 } k ? k : "none"),
            OpenAiClients.Options(_options.BaseUrl));
        _retry = new ModelRetry(_options.MaxRetries, _options.MaxRetryDelay, logger, clock);
    }

    public string Name => _options.Model!;

    public async IAsyncEnumerable<string> StreamAsync(string system, string user, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ChatMessage[] messages = [new SystemChatMessage(system), new UserChatMessage(user)];
        var request = new ChatCompletionOptions { MaxOutputTokenCount = _options.MaxOutputTokens, Temperature = 0.1f };
        IAsyncEnumerator<StreamingChatCompletionUpdate>? updates = null;
        // The request is sent on the first MoveNext: that is where 429 and 5xx surface, and what is retried.
        var any = await _retry.RunAsync(async c =>
        {
            if (updates is not null)
            {
                await updates.DisposeAsync();
            }
            updates = _client.CompleteChatStreamingAsync(messages, request, c).GetAsyncEnumerator(c);
            return await updates.MoveNextAsync();
        }, ct);
        await using var _ = updates!;
        while (any)
        {
            foreach (var part in updates!.Current.ContentUpdate)
            {
                if (!string.IsNullOrEmpty(part.Text))
                {
                    yield return part.Text;
                }
            }
            any = await updates.MoveNextAsync();
        }
    }

    public async Task<string> CompleteJsonAsync(string system, string user, CancellationToken ct = default)
    {
        ChatMessage[] messages = [new SystemChatMessage(system), new UserChatMessage(user)];
        var request = new ChatCompletionOptions
        {
            MaxOutputTokenCount = _options.MaxOutputTokens, Temperature = 0f, ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(),
        };
        var completion = await _retry.RunAsync(async c => (await _client.CompleteChatAsync(messages, request, c)).Value, ct);
        return string.Concat(completion.Content.Select(p => p.Text));
    }
}
