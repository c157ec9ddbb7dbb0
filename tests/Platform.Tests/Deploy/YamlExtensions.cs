using YamlDotNet.RepresentationModel;

namespace Platform.Tests.Deploy;

/// <summary>Reading parsed YAML in assertions, with YAML merge keys (<c>&lt;&lt;: *anchor</c>) applied as compose applies them.</summary>
public static class YamlExtensions
{
    public static YamlNode? Get(this YamlMappingNode map, string key)
    {
        if (map.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            return value;
        }
        // "<<" merges: keys of the merged mapping(s) count unless the mapping sets them itself.
        if (map.Children.TryGetValue(new YamlScalarNode("<<"), out var merged))
        {
            var sources = merged is YamlSequenceNode seq ? seq.Children.OfType<YamlMappingNode>() : [(YamlMappingNode)merged];
            foreach (var source in sources)
            {
                if (source.Get(key) is { } found)
                {
                    return found;
                }
            }
        }
        return null;
    }

    /// <summary>Every key, merge keys resolved.</summary>
    public static IEnumerable<string> Keys(this YamlMappingNode map)
    {
        var keys = new List<string>();
        foreach (var (key, value) in map.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name == "<<")
            {
                var sources = value is YamlSequenceNode seq ? seq.Children.OfType<YamlMappingNode>() : [(YamlMappingNode)value];
                keys.AddRange(sources.SelectMany(Keys));
            }
            else
            {
                keys.Add(name);
            }
        }
        return keys.Distinct();
    }

    public static YamlMappingNode Map(this YamlMappingNode map, string key) =>
        map.Get(key) as YamlMappingNode ?? throw new AssertionException($"no mapping '{key}' in\n{map}");

    public static YamlSequenceNode Seq(this YamlMappingNode map, string key) =>
        map.Get(key) as YamlSequenceNode ?? throw new AssertionException($"no sequence '{key}' in\n{map}");

    public static string Str(this YamlMappingNode map, string key) =>
        (map.Get(key) as YamlScalarNode)?.Value ?? throw new AssertionException($"no scalar '{key}' in\n{map}");

    public static string? StrOrNull(this YamlMappingNode map, string key) => (map.Get(key) as YamlScalarNode)?.Value;

    public static YamlMappingNode LoadFile(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
