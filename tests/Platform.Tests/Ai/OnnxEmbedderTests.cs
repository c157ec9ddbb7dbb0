using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Search;
using Platform.Search.Onnx;
using Platform.Tests.Support;
using StackExchange.Redis;

namespace Platform.Tests.Ai;

/// <summary>
/// The local ONNX sentence embedders (weights shipped in the SentenceTransformers.* packages, run in-process): meaning rather
/// than shared words, and the built-in half of a blended vector that keeps Chinese text apart where the English-only model
/// cannot.
/// </summary>
[TestFixture]
public sealed class OnnxEmbedderTests
{
    private readonly OnnxEmbedders _models = new();

    [OneTimeTearDown]
    public void Unload() => _models.Dispose();

    [TestCase(OnnxEmbedder.MiniLm)]
    [TestCase(OnnxEmbedder.ArcticXs)]
    public async Task Should_put_a_paraphrase_closer_than_an_unrelated_sentence(string model)
    {
        var embedder = _models.Create(model);
        // No word in common between the question and its paraphrase, so only meaning can bring them together.
        var v = await embedder.EmbedAsync([
            "How can I keep a program from being upgraded?",
            "Put the package on hold so that apt will not update it.",
            "The Debian mascot is a toy octopus with a spiral.",
        ]);

        Assert.That(v.Select(x => x.Length), Is.All.EqualTo(384));
        Assert.That(TensorPrimitives.Norm(v[0]), Is.EqualTo(1f).Within(1e-4));
        var b = await new BuiltInEmbedder(Options.Create(new EmbeddingOptions())).EmbedAsync([
            "How can I keep a program from being upgraded?",
            "Put the package on hold so that apt will not update it.",
            "The Debian mascot is a toy octopus with a spiral.",
        ]);
        var margin = Cosine(v[0], v[1]) - Cosine(v[0], v[2]);
        Assert.That(margin, Is.GreaterThan(0.1), $"{embedder.Model}: paraphrase vs unrelated");
        Assert.That(margin, Is.GreaterThan(Cosine(b[0], b[1]) - Cosine(b[0], b[2]) + 0.1), "more than shared word pieces explain");
    }

    [Test]
    public async Task Should_embed_a_text_the_same_whatever_its_line_breaks_and_the_texts_beside_it()
    {
        var embedder = _models.Create(OnnxEmbedder.MiniLm);
        var alone = await embedder.EmbedAsync(["Put the package on hold so that apt will not update it."]);

        // The packages' tokenizer alone would read "package\non" and "that\tapt" as unknown words.
        var together = await embedder.EmbedAsync(["The Debian mascot is a toy octopus with a spiral.", "Put the package\non hold so that\tapt will not\r\nupdate it."]);

        Assert.That(Cosine(together[1], alone[0]), Is.EqualTo(1f).Within(1e-5), "line breaks and tabs are spaces to the model");
        Assert.That(Cosine(together[0], alone[0]), Is.LessThan(0.5f), "each vector is its own text's, in the order given");
    }

    [Test]
    public async Task Should_keep_Chinese_texts_apart_through_the_built_in_half_of_a_blended_vector()
    {
        var builtIn = new BuiltInEmbedder(Options.Create(new EmbeddingOptions()));
        var blended = new BlendedEmbedder(_models.Create(OnnxEmbedder.MiniLm), builtIn, 0.5);
        string[] texts = ["怎样把软件包设为保持状态？", "可以把软件包设为保持状态，这样它就不会升级。", "长城是中国古代的军事防御工程。"];

        var v = await blended.EmbedAsync(texts);

        Assert.That(v[0], Has.Length.EqualTo(768));
        Assert.That(blended.Model, Does.Contain(builtIn.Model), "a change of either half is a change of model");
        Assert.That(Cosine(v[0], v[1]), Is.GreaterThan(Cosine(v[0], v[2]) + 0.1));
    }

    [Test]
    [Category("Integration")]
    public async Task Should_keep_the_local_model_s_vectors_in_the_Redis_cache_keyed_by_model_and_content()
    {
        var prefix = $"test:{Guid.NewGuid():N}:";
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Embeddings:Provider"] = OnnxEmbedder.MiniLm, ["Embeddings:CacheKeyPrefix"] = prefix, ["Redis:Configuration"] = TestServices.Redis,
        });
        builder.AddPlatformSearch();
        builder.AddLocalEmbedders();
        using var host = builder.Build();
        const string text = "Put the package on hold so that apt will not update it.";

        var blended = await host.Services.GetRequiredService<IEmbedder>().EmbedAsync([text]);

        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
        var key = prefix + _models.Create(OnnxEmbedder.MiniLm).Model + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        try
        {
            var cached = await redis.GetDatabase().StringGetAsync(key);
            Assert.That(cached.HasValue, Is.True, "the model's vector is cached under model + content hash");
            Assert.That(Cosine(VectorCodec.FromBytes((byte[])cached!), blended[0][..384]), Is.EqualTo(1f).Within(1e-5),
                "the cached vector is the blend's semantic half");
        }
        finally
        {
            await redis.GetDatabase().KeyDeleteAsync(key);
        }
    }

    private static float Cosine(float[] a, float[] b) => TensorPrimitives.CosineSimilarity(a, b);
}
