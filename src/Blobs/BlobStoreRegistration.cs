using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Blobs;

/// <summary>Chooses the blob store from configuration: <c>Blobs:Provider</c> = <c>Local</c> (default) or <c>S3</c>.</summary>
public static class BlobStoreRegistration
{
    public const string Local = "Local";
    public const string S3 = "S3";

    /// <summary>The blob store this host keeps uploads or dumps in (section <c>Blobs</c>).</summary>
    public static IHostApplicationBuilder AddPlatformBlobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPlatformBlobStore(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddPlatformBlobStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BlobOptions>().BindConfiguration(BlobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var provider = configuration[$"{BlobOptions.Section}:Provider"] ?? Local;
        if (provider.Equals(S3, StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<IBlobStore>(_ => Create(S3, null, configuration.GetSection($"{BlobOptions.Section}:S3")));
        }
        else if (provider.Equals(Local, StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<IBlobStore, LocalBlobStore>();
        }
        else
        {
            throw new InvalidOperationException($"Blobs:Provider '{provider}' is not Local or S3.");
        }
        return services;
    }

    /// <summary>A store built from a section (the off-site copy has its own): a folder for <c>Local</c>, a bucket for <c>S3</c>.</summary>
    public static IBlobStore Create(string provider, string? root, IConfigurationSection s3Section) =>
        provider.Equals(S3, StringComparison.OrdinalIgnoreCase)
            ? new S3BlobStore(s3Section.Get<S3BlobOptions>() ?? new S3BlobOptions())
            : new LocalBlobStore(Options.Create(new BlobOptions { Root = root ?? throw new ArgumentException("A local blob store needs a root folder.") }));
}
