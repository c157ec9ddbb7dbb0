// Test-only renderer for the subset of Go templates the chart uses: no helm binary can run on these machines.
using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Platform.Tests.Deploy;

/// <summary>
/// Renders deploy/helm the way <c>helm template</c> would for the constructs the chart is allowed to use:
/// <c>{{ .Values.a.b }}</c>, <c>.Release.*</c>, <c>.Chart.*</c>, <c>if</c>/<c>else</c>/<c>end</c> with
/// <c>not</c> and <c>eq</c>, <c>define</c>/<c>include</c>, pipes to <c>quote</c>, <c>default</c>, <c>toYaml</c>,
/// <c>nindent</c>/<c>indent</c>, and <c>.Files.Get</c>, with Go's <c>{{-</c>/<c>-}}</c> whitespace trimming.
/// Anything else throws, so the chart cannot drift into syntax these tests do not understand. A value path that does
/// not exist throws too (helm would print nothing), which catches typos.
/// </summary>
public sealed class ChartRenderer
{
    public const string ReleaseName = "rel";

    private readonly string _chartDir;
    private readonly Dictionary<string, object?> _values;
    private readonly Dictionary<string, object?> _chart;
    private readonly Dictionary<string, List<Node>> _defines = new(StringComparer.Ordinal);

    public ChartRenderer(string chartDir, IReadOnlyDictionary<string, object?>? overrides = null)
    {
        _chartDir = chartDir;
        _values = (Dictionary<string, object?>)LoadYaml(Path.Combine(chartDir, "values.yaml"))!;
        _chart = (Dictionary<string, object?>)LoadYaml(Path.Combine(chartDir, "Chart.yaml"))!;
        foreach (var (path, value) in overrides ?? new Dictionary<string, object?>())
        {
            Set(_values, path, value);
        }
        foreach (var helper in Directory.GetFiles(Path.Combine(chartDir, "templates"), "*.tpl"))
        {
            Exec(Parse(File.ReadAllText(helper)));
        }
    }

    public IReadOnlyDictionary<string, object?> Values => _values;

    /// <summary>Every YAML template rendered, by file name.</summary>
    public IReadOnlyDictionary<string, string> RenderAll() =>
        Directory.GetFiles(Path.Combine(_chartDir, "templates"), "*.yaml").OrderBy(f => f, StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileName(f), f => Exec(Parse(File.ReadAllText(f))));

    /// <summary>Every non-empty YAML document of every template.</summary>
    public IReadOnlyList<Manifest> Manifests()
    {
        var manifests = new List<Manifest>();
        foreach (var (file, text) in RenderAll())
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException ex)
            {
                throw new InvalidOperationException($"{file} does not render to YAML: {ex.Message}\n{text}", ex);
            }
            manifests.AddRange(stream.Documents.Where(d => d.RootNode is YamlMappingNode { Children.Count: > 0 })
                .Select(d => new Manifest(file, (YamlMappingNode)d.RootNode)));
        }
        return manifests;
    }

    // ---- values ----

    public static object? LoadYaml(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return stream.Documents.Count == 0 ? null : ToModel(stream.Documents[0].RootNode);
    }

    private static object? ToModel(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ToModel(p.Value), StringComparer.Ordinal),
        YamlSequenceNode seq => seq.Children.Select(ToModel).ToList(),
        YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s => Plain(s.Value ?? ""),
        YamlScalarNode s => s.Value,
        _ => throw new NotSupportedException(node.NodeType.ToString()),
    };

    private static object? Plain(string v) =>
        v is "" or "~" or "null" ? null
        : v is "true" ? true
        : v is "false" ? false
        : long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
        : v;

    private static void Set(Dictionary<string, object?> root, string path, object? value)
    {
        var parts = path.Split('.');
        var map = root;
        foreach (var part in parts[..^1])
        {
            map = (Dictionary<string, object?>)map[part]!;
        }
        if (!map.ContainsKey(parts[^1]))
        {
            throw new ArgumentException($"values.yaml has no {path}");
        }
        map[parts[^1]] = value;
    }

    // ---- lexing and parsing ----

    private abstract record Node;
    private sealed record TextNode(string Text) : Node;
    private sealed record ActionNode(string Pipeline) : Node;
    private sealed record IfNode(string Condition, List<Node> Then, List<Node> Else) : Node;

    private List<Node> Parse(string source)
    {
        var tokens = Lex(source);
        var pos = 0;
        var nodes = ParseUntil(tokens, ref pos, out var end);
        if (end is not null)
        {
            throw new InvalidOperationException($"unexpected {{{{ {end} }}}}");
        }
        return nodes;
    }

    private static List<(bool IsAction, string Text)> Lex(string s)
    {
        var tokens = new List<(bool, string)>();
        var i = 0;
        var trimNext = false;
        while (i < s.Length)
        {
            var open = s.IndexOf("{{", i, StringComparison.Ordinal);
            var text = open < 0 ? s[i..] : s[i..open];
            if (trimNext)
            {
                text = text.TrimStart();
            }
            if (open < 0)
            {
                tokens.Add((false, text));
                break;
            }
            var trimLeft = open + 3 < s.Length && s[open + 2] == '-' && char.IsWhiteSpace(s[open + 3]);
            tokens.Add((false, trimLeft ? text.TrimEnd() : text));
            var close = s.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new InvalidOperationException("unclosed {{");
            }
            var body = s[(open + 2)..close];
            var trimRight = body.Length >= 2 && body[^1] == '-' && char.IsWhiteSpace(body[^2]);
            body = body[(trimLeft ? 1 : 0)..(body.Length - (trimRight ? 1 : 0))].Trim();
            if (!body.StartsWith("/*", StringComparison.Ordinal))
            {
                tokens.Add((true, body));
            }
            trimNext = trimRight;
            i = close + 2;
        }
        return tokens;
    }

    private List<Node> ParseUntil(List<(bool IsAction, string Text)> tokens, ref int pos, out string? terminator)
    {
        var nodes = new List<Node>();
        while (pos < tokens.Count)
        {
            var (isAction, text) = tokens[pos++];
            if (!isAction)
            {
                nodes.Add(new TextNode(text));
                continue;
            }
            if (text is "end" or "else")
            {
                terminator = text;
                return nodes;
            }
            if (text.StartsWith("if ", StringComparison.Ordinal))
            {
                var then = ParseUntil(tokens, ref pos, out var t);
                var otherwise = t == "else" ? ParseUntil(tokens, ref pos, out t) : [];
                if (t != "end")
                {
                    throw new InvalidOperationException($"{{{{ {text} }}}} is not closed");
                }
                nodes.Add(new IfNode(text[3..].Trim(), then, otherwise));
            }
            else if (text.StartsWith("define ", StringComparison.Ordinal))
            {
                var body = ParseUntil(tokens, ref pos, out var t);
                if (t != "end")
                {
                    throw new InvalidOperationException($"{{{{ {text} }}}} is not closed");
                }
                _defines[Unquote(text[7..].Trim())] = body;
            }
            else if (text.StartsWith("range ", StringComparison.Ordinal) || text.StartsWith("with ", StringComparison.Ordinal)
                     || text.Contains('$') || text.Contains('('))
            {
                throw new NotSupportedException($"{{{{ {text} }}}}: the chart keeps to the constructs ChartRenderer renders");
            }
            else
            {
                nodes.Add(new ActionNode(text));
            }
        }
        terminator = null;
        return nodes;
    }

    // ---- evaluation ----

    private string Exec(List<Node> nodes)
    {
        var output = new StringBuilder();
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode t:
                    output.Append(t.Text);
                    break;
                case ActionNode a:
                    output.Append(Format(Eval(a.Pipeline)));
                    break;
                case IfNode i:
                    output.Append(Exec(Truthy(Eval(i.Condition)) ? i.Then : i.Else));
                    break;
            }
        }
        return output.ToString();
    }

    private object? Eval(string pipeline)
    {
        object? value = null;
        var first = true;
        foreach (var command in SplitOutsideQuotes(pipeline, '|'))
        {
            value = Command(Words(command), value, piped: !first);
            first = false;
        }
        return value;
    }

    private object? Command(List<string> words, object? input, bool piped)
    {
        if (words.Count == 1 && !piped && words[0] is not ("quote" or "toYaml"))
        {
            return Operand(words[0]);
        }
        var args = words.Skip(1).Select(Operand).ToList();
        if (piped)
        {
            args.Add(input);
        }
        return words[0] switch
        {
            "quote" => "\"" + Format(args[0]).Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
            "default" => Truthy(args[1]) ? args[1] : args[0],
            "not" => !Truthy(args[0]),
            "eq" => Format(args[0]) == Format(args[1]),
            "toYaml" => ToYaml(args[0]),
            "nindent" => "\n" + Indent(Convert.ToInt32(args[0], CultureInfo.InvariantCulture), Format(args[1])),
            "indent" => Indent(Convert.ToInt32(args[0], CultureInfo.InvariantCulture), Format(args[1])),
            "include" when words.Count >= 3 && words[2] == "." => Exec(_defines[(string)args[0]!]),
            ".Files.Get" => File.ReadAllText(Path.Combine(_chartDir, (string)args[0]!)),
            _ => throw new NotSupportedException($"template function {words[0]}"),
        };
    }

    private object? Operand(string word)
    {
        if (word.StartsWith('"'))
        {
            return Unquote(word);
        }
        if (word == ".")
        {
            return null; // the root context: only include takes it, and include always means the root
        }
        if (long.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }
        var path = word.Split('.', StringSplitOptions.RemoveEmptyEntries);
        return path[0] switch
        {
            "Values" => Lookup(_values, path[1..], word),
            "Chart" => Lookup(_chart, [char.ToLowerInvariant(path[1][0]) + path[1][1..]], word),
            "Release" when path[1] == "Name" => ReleaseName,
            "Release" when path[1] == "Namespace" => "default",
            "Release" when path[1] == "Service" => "Helm",
            _ => throw new NotSupportedException($"operand {word}"),
        };
    }

    private static object? Lookup(Dictionary<string, object?> root, string[] path, string word)
    {
        object? current = root;
        foreach (var key in path)
        {
            if (current is not Dictionary<string, object?> map || !map.TryGetValue(key, out current))
            {
                throw new KeyNotFoundException($"{word} is not in the values");
            }
        }
        return current;
    }

    private static bool Truthy(object? v) => v switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        double d => d != 0,
        Dictionary<string, object?> m => m.Count > 0,
        List<object?> l => l.Count > 0,
        _ => true,
    };

    private static string Format(object? v) => v switch
    {
        null => "",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => s,
        _ => throw new NotSupportedException($"printing a {v.GetType().Name}; use toYaml"),
    };

    private static readonly ISerializer Yaml = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

    private static string ToYaml(object? v) => Yaml.Serialize(v).TrimEnd('\n', '\r');

    private static string Indent(int n, string text)
    {
        var pad = new string(' ', n);
        return pad + text.Replace("\n", "\n" + pad);
    }

    private static string Unquote(string s) => s.Trim('"').Replace("\\\"", "\"");

    private static List<string> SplitOutsideQuotes(string s, char separator)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in s)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            if (c == separator && !quoted)
            {
                parts.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        parts.Add(current.ToString().Trim());
        return parts;
    }

    private static List<string> Words(string command) =>
        SplitOutsideQuotes(command, ' ').Where(w => w.Length > 0).ToList();
}

/// <summary>One rendered Kubernetes object.</summary>
public sealed record Manifest(string File, YamlMappingNode Root)
{
    public string Kind => Root.Str("kind");
    public string Name => Root.Map("metadata").Str("name");
    public override string ToString() => $"{Kind}/{Name} ({File})";
}
