using System.Net;
using System.Text;
using Platform.Tests.Support;

namespace Platform.Tests.Chaos;

/// <summary>Thousands of malformed requests (random paths, methods, bodies, content types, headers): never a 5xx, never a crash.</summary>
[TestFixture]
[Category("EndToEnd")]
[Category("Chaos")]
public sealed class FuzzTests
{
    private static readonly string[] Paths =
    [
        "api/v1/documents", "api/v1/documents/{id}", "api/v1/documents/{id}/chunks", "api/v1/jobs", "api/v1/jobs/{id}",
        "api/v1/jobs/{id}/cancel", "api/v1/search", "api/v1/answers", "api/v1/answers/{id}", "api/v1/backups",
        "api/v1/backups/retention", "api/v1/backups/{id}", "api/v1/jobs?status={s}&limit={n}", "api/v1/documents?limit={n}",
    ];

    private static readonly string[] Ids = ["not-a-guid", "00000000-0000-0000-0000-000000000000", "..%2F..%2Fetc%2Fpasswd", "%00", "9999999999", ""];
    private static readonly string[] ContentTypes =
    [
        "application/json", "multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=zz", "text/plain",
        "application/xml", "application/json; charset=utf-16", "", "*/*;;;",
    ];

    [Test]
    public async Task Should_never_answer_5xx_to_malformed_requests()
    {
        var work = Directory.CreateTempSubdirectory("platform-fuzz-").FullName;
        try
        {
            await using var api = await HostProcess.StartAsync(HostProcess.Api, new Dictionary<string, string>
            {
                ["Scheduler__Enabled"] = "false", ["RateLimits__PerKeyPerMinute"] = "0",
            }, work);
            using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var random = new Random(7);
            var counts = new Dictionary<int, int>();
            var failures = new List<string>();
            for (var i = 0; i < ChaosSettings.FuzzRequests; i++)
            {
                var (request, description) = Build(random);
                HttpResponseMessage response;
                try
                {
                    response = await http.SendAsync(request);
                }
                catch (HttpRequestException ex)
                {
                    failures.Add($"{description}: connection failed: {ex.Message}");
                    continue;
                }
                var status = (int)response.StatusCode;
                counts[status / 100] = counts.GetValueOrDefault(status / 100) + 1;
                if (status >= 500)
                {
                    failures.Add($"{description} → {status}: {await response.Content.ReadAsStringAsync()}");
                }
            }
            ChaosSettings.Report("fuzz", $"requests={ChaosSettings.FuzzRequests} 2xx={counts.GetValueOrDefault(2)} " +
                $"4xx={counts.GetValueOrDefault(4)} 5xx={counts.GetValueOrDefault(5)} failed={failures.Count}");
            Assert.That(failures, Is.Empty);
            Assert.That(api.HasExited, Is.False);
            Assert.That((await http.GetAsync("health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }

    private static (HttpRequestMessage, string) Build(Random random)
    {
        var path = Paths[random.Next(Paths.Length)]
            .Replace("{id}", random.Next(3) == 0 ? Guid.NewGuid().ToString() : Ids[random.Next(Ids.Length)])
            .Replace("{s}", random.Next(2) == 0 ? "failed" : "%FF%FE")
            .Replace("{n}", random.Next(2) == 0 ? "-5" : "99999999999");
        var method = new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch }[random.Next(5)];
        var request = new HttpRequestMessage(method, path);
        if (method != HttpMethod.Get && method != HttpMethod.Delete)
        {
            var bytes = Body(random);
            var content = new ByteArrayContent(bytes);
            var type = ContentTypes[random.Next(ContentTypes.Length)];
            if (type.Length > 0)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
            request.Content = content;
        }
        if (random.Next(4) == 0)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", new string('k', random.Next(0, 300)));
        }
        return (request, $"{method} {path}");
    }

    private static byte[] Body(Random random) => random.Next(6) switch
    {
        0 => [],
        1 => Encoding.UTF8.GetBytes("{\"query\": \"" + new string('x', random.Next(0, 3000)) + "\", \"topK\": " + random.Next(-5, 500) + "}"),
        2 => Encoding.UTF8.GetBytes("{\"question\": [1,2,{\"a\": null}], \"mode\": 17}"),
        3 => Encoding.UTF8.GetBytes("--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../x\"\r\n\r\n" + new string('y', random.Next(0, 500))),
        4 => Encoding.UTF8.GetBytes("{\"query\": \"\\ud800\", \"documentIds\": [\"nope\"]}"),
        _ => RandomBytes(random),
    };

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 2048)];
        random.NextBytes(bytes);
        return bytes;
    }
}
