using System.IO.Compression;
using Platform.Tests.Support;

namespace Platform.Tests.Integration;

/// <summary>.NET integrators reference the contracts as a NuGet package, with their XML docs for IntelliSense.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ContractPackageTests
{
    [Test]
    public async Task Should_pack_the_message_contracts_with_their_xml_docs_and_readme()
    {
        var output = Directory.CreateTempSubdirectory("platform-pack-").FullName;
        try
        {
            // --no-build packs what the test run already built, so nothing is compiled twice.
            var (exit, stdout, stderr) = await ChildProcess.RunAsync("dotnet",
                ["pack", Path.Combine(RepoPaths.Root, "src", "Messages", "Platform.Messages.csproj"), "-c", RepoPaths.Configuration,
                 "--no-build", "-o", output]);
            Assert.That(exit, Is.EqualTo(0), stdout + stderr);

            var package = Directory.GetFiles(output, "Platform.Messages.*.nupkg").Single();
            using var zip = ZipFile.OpenRead(package);
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.That(entries, Does.Contain("lib/net10.0/Platform.Messages.dll"));
            Assert.That(entries, Does.Contain("lib/net10.0/Platform.Messages.xml"));
            Assert.That(entries, Does.Contain("README.md"));
            using var docs = new StreamReader(zip.GetEntry("lib/net10.0/Platform.Messages.xml")!.Open());
            Assert.That(await docs.ReadToEndAsync(), Does.Contain("P:Platform.Messages.IngestDocument.ApiKey"));
        }
        finally
        {
            TestFolders.Delete(output);
        }
    }
}
