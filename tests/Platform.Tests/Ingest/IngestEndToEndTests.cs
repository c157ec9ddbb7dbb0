using System.Net;
using Platform.Tests.Support;

namespace Platform.Tests.Ingest;

/// <summary>The API process on embedded defaults (workers inside): real files uploaded over HTTP, chunks read back.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class IngestEndToEndTests
{
    [Test]
    public async Task Should_ingest_an_uploaded_pdf_with_page_numbers_and_reuse_the_document_when_the_same_bytes_are_uploaded_again()
    {
        var work = Directory.CreateTempSubdirectory("ingest-e2e-").FullName;
        try
        {
            await using var api = await HostProcess.StartAsync(HostProcess.Standalone, new Dictionary<string, string>(), work);
            var client = new PlatformClient(new HttpClient { BaseAddress = api.BaseAddress });
            var pdf = Fixtures.Pdf([
                Fixtures.Lines("The first page introduces the ingest worker."),
                Fixtures.Lines("The second page lists the reason codes: corrupt_file, encrypted, timeout."),
            ]);

            var accepted = await client.UploadAsync("worker.pdf", pdf, "application/pdf");
            await client.WaitForSuccessAsync(accepted.GetGuid("jobId"));
            var again = await client.UploadAsync("copy-of-worker.pdf", pdf, "application/pdf");
            var chunks = await client.GetJsonAsync($"api/v1/documents/{accepted.GetGuid("documentId")}/chunks");
            var broken = await client.UploadAsync("broken.pdf", pdf[..(pdf.Length / 3)], "application/pdf");
            var failed = await client.WaitForJobAsync(broken.GetGuid("jobId"));

            Assert.That(again.GetGuid("documentId"), Is.EqualTo(accepted.GetGuid("documentId")));
            Assert.That(again.GetProperty("duplicate").GetBoolean(), Is.True);
            Assert.That(again.GetGuid("jobId"), Is.EqualTo(accepted.GetGuid("jobId")));
            var list = await client.GetJsonAsync("api/v1/documents");
            Assert.That(list.GetProperty("items").GetArrayLength(), Is.EqualTo(2), "the duplicate did not create a document");
            Assert.That(chunks.GetArrayLength(), Is.EqualTo(1));
            Assert.That(chunks[0].GetProperty("pageStart").GetInt32(), Is.EqualTo(1));
            Assert.That(chunks[0].GetProperty("pageEnd").GetInt32(), Is.EqualTo(2));
            Assert.That(chunks[0].GetProperty("content").GetString(), Does.Contain("reason codes: corrupt_file"));
            Assert.That(failed.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(failed.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("corrupt_file"));
            Assert.That(failed.GetProperty("attempts").GetInt32(), Is.EqualTo(1));
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }

    [Test]
    public async Task Should_report_the_format_and_the_ocr_pages_in_the_job_result()
    {
        var work = Directory.CreateTempSubdirectory("ingest-e2e-").FullName;
        try
        {
            await using var api = await HostProcess.StartAsync(HostProcess.Standalone, new Dictionary<string, string>(), work);
            var client = new PlatformClient(new HttpClient { BaseAddress = api.BaseAddress });
            var scanned = Fixtures.ScannedPdf([Fixtures.Lines("Scanned invoices are read by OCR before they are chunked.")]);

            var accepted = await client.UploadAsync("scan.pdf", scanned, "application/pdf");
            var result = (await client.WaitForSuccessAsync(accepted.GetGuid("jobId"), TimeSpan.FromMinutes(2))).GetProperty("result");

            Assert.That(result.GetProperty("format").GetString(), Is.EqualTo("pdf"));
            Assert.That(result.GetProperty("ocrPages").EnumerateArray().Select(p => p.GetInt32()), Is.EqualTo(new[] { 1 }));
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }
}
