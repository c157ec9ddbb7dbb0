// Hand-written Prometheus text exposition over MeterListener: OpenTelemetry.Exporter.Prometheus.AspNetCore cannot be restored here.
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Hosting;

namespace Platform.ServiceDefaults;

/// <summary>
/// Aggregates the measurements of the named meters in memory (counters summed, gauges last value, histograms
/// bucketed) and writes them in the Prometheus text format 0.0.4. Cumulative since the process started.
/// </summary>
public sealed class PrometheusExporter : IHostedService, IDisposable
{
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Family> _families = new();

    public PrometheusExporter(IEnumerable<string> meterNames)
    {
        var names = meterNames.ToHashSet(StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (names.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument, _families.GetOrAdd(instrument, i => new Family(i)));
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _families.TryRemove(instrument, out Family? _);
        _listener.SetMeasurementEventCallback<byte>((i, v, t, s) => ((Family)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<short>((i, v, t, s) => ((Family)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => ((Family)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, s) => ((Family)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<float>((i, v, t, s) => ((Family)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, s) => ((Family)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => ((Family)s!).Record((double)v, t));
        _listener.Start();
    }

    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        // One family per name: a second host in the same process (tests) would otherwise repeat its TYPE line.
        foreach (var family in _families.Values.GroupBy(f => f.Name).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.First()))
        {
            family.Write(text);
        }
        return text.ToString();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();

    private enum Kind { Counter, Gauge, Histogram }

    private sealed class Family
    {
        private readonly Kind _kind;
        private readonly bool _cumulative; // observable counters report totals, not increments
        private readonly double[] _bounds;
        private readonly string _help;
        private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);

        public Family(Instrument instrument)
        {
            var type = instrument.GetType() is { IsGenericType: true } t ? t.GetGenericTypeDefinition().Name : "";
            _kind = type switch
            {
                "Counter`1" or "ObservableCounter`1" => Kind.Counter,
                "Histogram`1" => Kind.Histogram,
                _ => Kind.Gauge, // UpDownCounter, ObservableUpDownCounter, Gauge, ObservableGauge
            };
            _cumulative = type is "ObservableCounter`1" or "ObservableUpDownCounter`1" or "ObservableGauge`1" or "Gauge`1";
            var unit = instrument.Unit switch
            {
                "s" => "_seconds",
                "ms" => "_milliseconds",
                "By" => "_bytes",
                _ => "",
            };
            var name = Sanitize(instrument.Name);
            Name = (name.EndsWith(unit, StringComparison.Ordinal) ? name : name + unit) + (_kind == Kind.Counter ? "_total" : "");
            _bounds = instrument.Unit == "s" ? SecondsBuckets : DefaultBuckets;
            _help = (instrument.Description ?? instrument.Name).Replace("\\", "\\\\").Replace("\n", "\\n");
        }

        public string Name { get; }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            // Hot path (every HTTP request, message and database command records several): the label text is built
            // in a reused buffer and looked up without allocating; a string is made only for a new series.
            var labels = LabelBuffer.Value!;
            labels.Clear();
            AppendLabels(labels, tags);
            lock (_series)
            {
                var lookup = _series.GetAlternateLookup<ReadOnlySpan<char>>();
                var span = labels.Length == 0 ? ReadOnlySpan<char>.Empty : labels.Span;
                if (!lookup.TryGetValue(span, out var s))
                {
                    _series[span.ToString()] = s = new Series(_kind == Kind.Histogram ? new long[_bounds.Length] : null);
                }
                if (_kind == Kind.Histogram)
                {
                    var i = 0;
                    while (i < _bounds.Length && value > _bounds[i])
                    {
                        i++;
                    }
                    if (i < _bounds.Length)
                    {
                        s.Buckets![i]++;
                    }
                    s.Count++;
                    s.Value += value;
                }
                else
                {
                    s.Value = _cumulative ? value : s.Value + value;
                }
            }
        }

        public void Write(StringBuilder text)
        {
            lock (_series)
            {
                if (_series.Count == 0)
                {
                    return;
                }
                var type = _kind switch { Kind.Counter => "counter", Kind.Histogram => "histogram", _ => "gauge" };
                // Text format 0.0.4: a counter's HELP and TYPE name the sample itself (…_total); a histogram's its base name.
                text.Append("# HELP ").Append(Name).Append(' ').Append(_help).Append('\n');
                text.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
                foreach (var (labels, s) in _series.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (_kind != Kind.Histogram)
                    {
                        Line(text, Name, labels, s.Value);
                        continue;
                    }
                    long cumulative = 0;
                    for (var i = 0; i < _bounds.Length; i++)
                    {
                        cumulative += s.Buckets![i];
                        Line(text, Name + "_bucket", With(labels, "le", Number(_bounds[i])), cumulative);
                    }
                    Line(text, Name + "_bucket", With(labels, "le", "+Inf"), s.Count);
                    Line(text, Name + "_sum", labels, s.Value);
                    Line(text, Name + "_count", labels, s.Count);
                }
            }
        }

        private static void Line(StringBuilder text, string name, string labels, double value) =>
            text.Append(name).Append(labels.Length == 0 ? "" : "{" + labels + "}").Append(' ').Append(Number(value)).Append('\n');

        private static string With(string labels, string key, string value) =>
            (labels.Length == 0 ? "" : labels + ",") + key + "=\"" + value + "\"";

        /// <summary>Appends <c>key="value",…</c> sorted by key, values escaped as the text format requires.</summary>
        private static void AppendLabels(CharBuffer labels, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return;
            }
            Span<int> order = tags.Length <= 32 ? stackalloc int[tags.Length] : new int[tags.Length];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }
            // Insertion sort by sanitized key: tag lists are short.
            for (var i = 1; i < order.Length; i++)
            {
                var current = order[i];
                var j = i - 1;
                while (j >= 0 && string.CompareOrdinal(SanitizedKey(tags[order[j]].Key), SanitizedKey(tags[current].Key)) > 0)
                {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = current;
            }
            for (var i = 0; i < order.Length; i++)
            {
                var tag = tags[order[i]];
                if (i > 0)
                {
                    labels.Append(',');
                }
                labels.Append(SanitizedKey(tag.Key));
                labels.Append("=\"");
                foreach (var c in tag.Value as string ?? Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "")
                {
                    switch (c)
                    {
                        case '\\': labels.Append("\\\\"); break;
                        case '"': labels.Append("\\\""); break;
                        case '\n': labels.Append("\\n"); break;
                        default: labels.Append(c); break;
                    }
                }
                labels.Append('"');
            }
        }
    }

    private static readonly ConcurrentDictionary<string, string> SanitizedKeys = new(StringComparer.Ordinal);

    private static readonly ThreadLocal<CharBuffer> LabelBuffer = new(() => new CharBuffer());

    private static string SanitizedKey(string key) => SanitizedKeys.GetOrAdd(key, Sanitize);

    /// <summary>A growable char buffer reused per thread (StringBuilder has no contiguous span to look up by).</summary>
    private sealed class CharBuffer
    {
        private char[] _chars = new char[256];

        public int Length { get; private set; }

        public ReadOnlySpan<char> Span => _chars.AsSpan(0, Length);

        public void Clear() => Length = 0;

        public void Append(char c)
        {
            if (Length == _chars.Length)
            {
                Array.Resize(ref _chars, _chars.Length * 2);
            }
            _chars[Length++] = c;
        }

        public void Append(string text)
        {
            foreach (var c in text)
            {
                Append(c);
            }
        }
    }

    private sealed class Series(long[]? buckets)
    {
        public long[]? Buckets { get; } = buckets;
        public long Count { get; set; }
        public double Value { get; set; }
    }

    internal static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '_' or ':'))
            {
                chars[i] = '_';
            }
        }
        return char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
    }

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
