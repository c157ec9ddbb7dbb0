using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Platform.Tests.Support;

/// <summary>The REST calls the tests make, as a user of the API would make them.</summary>
public sealed class PlatformClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public async Task<JsonElement> UploadAsync(string fileName, byte[] content, string contentType = "text/markdown")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        var response = await Http.PostAsync("api/v1/documents", form);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location, Is.Not.Null);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<JsonElement> UploadTextAsync(string fileName, string text) => UploadAsync(fileName, Encoding.UTF8.GetBytes(text));

    public async Task<JsonElement> PostJsonAsync(string path, object body, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        var response = await Http.PostAsJsonAsync(path, body);
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await Http.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Polls the job until it ends (succeeded, failed or cancelled) and returns it.</summary>
    public async Task<JsonElement> WaitForJobAsync(Guid jobId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        JsonElement job;
        do
        {
            job = await GetJsonAsync($"api/v1/jobs/{jobId}");
            if (job.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled")
            {
                return job;
            }
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"Job {jobId} did not end in time; last seen: {job}");
        return job;
    }

    public async Task<JsonElement> WaitForSuccessAsync(Guid jobId, TimeSpan? timeout = null)
    {
        var job = await WaitForJobAsync(jobId, timeout);
        Assert.That(job.GetProperty("status").GetString(), Is.EqualTo("succeeded"), job.ToString());
        return job;
    }
}

public static class JsonElementExtensions
{
    public static Guid GetGuid(this JsonElement element, string property) => element.GetProperty(property).GetGuid();
}
