using Microsoft.Extensions.Options;
using Platform.Jobs;
using Platform.Workers.Ingest;
using Platform.Workers.Ingest.Chunking;
using Platform.Workers.Ingest.Parsing;

namespace Platform.Tests.Ingest;

/// <summary>Runs the worker's parser and packer on bytes in memory, as the consumer does after reading the blob.</summary>
public static class ParserHarness
{
    public static IngestOptions Options(Action<IngestOptions>? configure = null)
    {
        var options = new IngestOptions();
        configure?.Invoke(options);
        return options;
    }

    public static Task<ParsedDocument> ParseAsync(byte[] content, string fileName, Action<IngestOptions>? configure = null,
        CancellationToken ct = default, Func<int, int, Task>? progress = null) =>
        new DocumentParser(Microsoft.Extensions.Options.Options.Create(Options(configure)))
            .ParseAsync(new MemoryStream(content), fileName, ct, progress);

    public static async Task<JobFailureException> FailAsync(byte[] content, string fileName, Action<IngestOptions>? configure = null)
    {
        try
        {
            var parsed = await ParseAsync(content, fileName, configure);
            Assert.Fail($"Parsing '{fileName}' succeeded with {parsed.Sections.Count} sections; a failure was expected.");
            throw new InvalidOperationException();
        }
        catch (JobFailureException ex)
        {
            return ex;
        }
    }

    public static IReadOnlyList<Platform.Data.Chunk> Pack(ParsedDocument parsed, int maxChars = 1200, int overlap = 150) =>
        new ChunkPacker(Microsoft.Extensions.Options.Options.Create(new IngestOptions { MaxChunkChars = maxChars, OverlapChars = overlap }))
            .Pack(parsed.Sections);

    public static string AllText(ParsedDocument parsed) => string.Join("\n", parsed.Sections.Select(s => s.Text));
}
