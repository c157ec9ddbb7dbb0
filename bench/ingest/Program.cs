using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using Platform.Tests.Ingest;
using Platform.Workers.Ingest;
using Platform.Workers.Ingest.Chunking;
using Platform.Workers.Ingest.Parsing;

// Ingest benchmark: parse throughput against raw pdftotext, DOCX/HTML MB/s, and peak RSS on a 500-page PDF.
// Usage: dotnet run -c Release --project bench/ingest [-- --files 16 --pages 40 --rounds 3]
//        (internal) rss <file>: parse one file in this fresh process and print its peak RSS.
Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
var options = Options.Create(new IngestOptions());
var parser = new DocumentParser(options);
var packer = new ChunkPacker(options);

if (args.Length == 2 && args[0] == "rss")
{
    await using (var file = File.OpenRead(args[1]))
    {
        var parsed = await parser.ParseAsync(file, Path.GetFileName(args[1]), CancellationToken.None);
        var chunks = packer.Pack(parsed.Sections);
        Console.Error.WriteLine($"pages={parsed.PageCount} chunks={chunks.Count}");
    }
    Console.WriteLine(PeakRssMb());
    return;
}

var files = Arg("--files", 16);
var pagesPerFile = Arg("--pages", 40);
var rounds = Arg("--rounds", 3);
var work = Directory.CreateTempSubdirectory("ingest-bench-").FullName;
try
{
    Console.WriteLine($"Generating {files} text PDFs x {pagesPerFile} pages...");
    var corpus = new List<string>();
    for (var f = 0; f < files; f++)
    {
        var path = Path.Combine(work, $"doc{f}.pdf");
        File.WriteAllBytes(path, Fixtures.Pdf(Pages(pagesPerFile, f)));
        corpus.Add(path);
    }

    // Warm both paths once (JIT, page cache), then alternate them so drift on a noisy machine hits both alike.
    await RawAsync(corpus);
    await OursAsync(corpus);
    var raw = new List<double>();
    var ours = new List<double>();
    for (var r = 0; r < rounds; r++)
    {
        raw.Add(await RawAsync(corpus));
        ours.Add(await OursAsync(corpus));
    }
    var rawMedian = Median(raw);
    var oursMedian = Median(ours);
    var totalPages = files * pagesPerFile;
    Console.WriteLine($"PDF corpus: {files} files, {totalPages} pages, {corpus.Sum(f => new FileInfo(f).Length) / 1e6:F1} MB");
    Console.WriteLine($"  raw pdftotext     : median {rawMedian:F2} s  ({totalPages / rawMedian:F0} pages/s)  rounds [{string.Join(", ", raw.Select(x => x.ToString("F2")))}]");
    Console.WriteLine($"  ingest parse+chunk: median {oursMedian:F2} s  ({totalPages / oursMedian:F0} pages/s)  rounds [{string.Join(", ", ours.Select(x => x.ToString("F2")))}]");
    var ratios = raw.Zip(ours, (r, o) => o / r).ToList();
    Console.WriteLine($"  ratio (goal <= 1.25): {oursMedian / rawMedian:F2} of medians; per round [{string.Join(", ", ratios.Select(x => x.ToString("F2")))}], median {Median(ratios):F2}");

    var docx = Path.Combine(work, "big.docx");
    File.WriteAllBytes(docx, Fixtures.Docx(b =>
    {
        for (var i = 0; i < 20000; i++)
        {
            if (i % 50 == 0)
            {
                b.Heading(1 + i / 50 % 2, $"Section {i / 50}");
            }
            b.Paragraph(Sentence(i) + " " + Sentence(i * 31 + 1) + $" Reference {Random.Shared.Next():x8}-{Random.Shared.Next():x8}.");
            if (i % 200 == 0)
            {
                b.Table(["Key", "Value", "Note"], [$"k{i}", $"{i}", "plain"], [$"k{i + 1}", $"{i + 1}", "plain"]);
            }
        }
    }));
    var html = Path.Combine(work, "big.html");
    var page = new StringBuilder("<!DOCTYPE html><html><head><title>Bench</title><script>var x=1;</script></head><body><nav>menu</nav>");
    for (var i = 0; i < 12000; i++)
    {
        if (i % 40 == 0)
        {
            page.Append($"<h2>Part {i / 40}</h2>");
        }
        page.Append($"<p>{Sentence(i)} <b>{Sentence(i * 31 + 7)}</b> Reference {Random.Shared.Next():x8}.</p>\n");
        if (i % 300 == 0)
        {
            page.Append("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>");
        }
    }
    page.Append("</body></html>");
    File.WriteAllText(html, page.ToString());
    foreach (var file in new[] { docx, html })
    {
        await OursAsync([file]);
        var seconds = Median(await Times(rounds, () => OursAsync([file])));
        var parseOnly = Median(await Times(rounds, () => OursAsync([file], pack: false)));
        var mb = new FileInfo(file).Length / 1e6;
        await using var stream = File.OpenRead(file);
        var text = (await parser.ParseAsync(stream, Path.GetFileName(file), CancellationToken.None)).Sections.Sum(s => s.Text.Length) / 1e6;
        Console.WriteLine($"{Path.GetExtension(file)[1..].ToUpperInvariant()}: {mb:F1} MB file ({text:F1} M chars of text) parsed+chunked in " +
                          $"{seconds:F2} s = {mb / seconds:F1} MB/s of file, {text / seconds:F1} M chars/s (parse alone {parseOnly:F2} s)");
    }

    foreach (var pages in new[] { 50, 500 })
    {
        var path = Path.Combine(work, $"long{pages}.pdf");
        File.WriteAllBytes(path, Fixtures.Pdf(Pages(pages, 7)));
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (self.EndsWith("dotnet"))
        {
            start.ArgumentList.Add(typeof(IngestOptions).Assembly.Location.Replace("Platform.Workers.Ingest.dll", "IngestBench.dll"));
        }
        start.ArgumentList.Add("rss");
        start.ArgumentList.Add(path);
        using var child = Process.Start(start)!;
        var peak = (await child.StandardOutput.ReadToEndAsync()).Trim();
        await child.WaitForExitAsync();
        Console.WriteLine($"Peak RSS parsing a {pages}-page PDF ({new FileInfo(path).Length / 1e6:F1} MB) in a fresh process: {peak} MB (goal < 400 MB)");
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

async Task<double> RawAsync(IReadOnlyList<string> corpus)
{
    var watch = Stopwatch.StartNew();
    foreach (var file in corpus)
    {
        var start = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true };
        foreach (var a in new[] { "-enc", "UTF-8", "-eol", "unix", file, "-" })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        await process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        await process.WaitForExitAsync();
    }
    return watch.Elapsed.TotalSeconds;
}

async Task<double> OursAsync(IReadOnlyList<string> corpus, bool pack = true)
{
    var watch = Stopwatch.StartNew();
    foreach (var file in corpus)
    {
        await using var stream = File.OpenRead(file);
        var parsed = await parser.ParseAsync(stream, Path.GetFileName(file), CancellationToken.None);
        if (pack)
        {
            packer.Pack(parsed.Sections);
        }
    }
    return watch.Elapsed.TotalSeconds;
}

static async Task<List<double>> Times(int rounds, Func<Task<double>> run)
{
    var times = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        times.Add(await run());
    }
    return times;
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static string PeakRssMb()
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:"));
    return (long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0).ToString("F0");
}

static List<IReadOnlyList<string>> Pages(int count, int seed) => Enumerable.Range(0, count)
    .Select(p => (IReadOnlyList<string>)Enumerable.Range(0, 40).Select(l => Sentence(seed * 100_000 + p * 40 + l)).ToList()).ToList();

static string Sentence(int i)
{
    string[] words = ["queue", "worker", "document", "page", "chunk", "index", "tenant", "backup", "search", "answer", "retry", "limit"];
    return $"The {words[i % 12]} of step {i} feeds the {words[(i * 7 + 3) % 12]} and the {words[(i * 5 + 1) % 12]} records it.";
}

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1]) : fallback;
}
