using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Platform.Messages;

namespace Platform.Tests.Integration;

/// <summary>
/// JSON Schema (draft 2020-12) of the <c>message</c> part of every contract in Platform.Messages, generated from the
/// records as MassTransit serializes them (System.Text.Json, camelCase, C# <c>required</c> enforced), with the
/// records' XML docs as descriptions. The committed files under docs/schemas are checked against this.
/// </summary>
public static partial class MessageSchemas
{
    private static readonly JsonSerializerOptions Serializer = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true, TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    /// <summary>Every message contract: the public records of the Platform.Messages namespace.</summary>
    public static IReadOnlyList<Type> MessageTypes { get; } = typeof(ParseDocument).Assembly.GetExportedTypes()
        .Where(t => t.Namespace == "Platform.Messages" && t is { IsClass: true, IsAbstract: false })
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToList();

    public static string FileName(Type type) => $"{type.Name}.schema.json";

    public static string Generate(Type type)
    {
        var docs = XmlDocs.Value;
        var schema = Serializer.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true, // the message itself is never null
            TransformSchemaNode = (context, node) =>
            {
                var member = context.PropertyInfo?.AttributeProvider as MemberInfo;
                var key = member is not null ? $"P:{member.DeclaringType!.FullName}.{member.Name}"
                    : context.Path.IsEmpty ? $"T:{type.FullName}" : null;
                if (key is not null && docs.TryGetValue(key, out var description) && node is JsonObject obj)
                {
                    obj.Insert(0, "description", description);
                }
                return node;
            },
        }).AsObject();
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"urn:message:{type.Namespace}:{type.Name}",
            ["title"] = type.Name,
        };
        foreach (var (name, value) in schema.ToList())
        {
            schema.Remove(name);
            root[name] = value;
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ReplaceLineEndings("\n") + "\n";
    }

    private static readonly Lazy<Dictionary<string, string>> XmlDocs = new(() =>
    {
        var path = Path.ChangeExtension(typeof(ParseDocument).Assembly.Location, ".xml");
        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => Text(m.Element("summary")!));
    });

    // <see cref="T:X.Y"/> becomes Y, <c>x</c> becomes x; whitespace collapses to single spaces.
    private static string Text(XElement summary)
    {
        var parts = summary.Nodes().Select(n => n switch
        {
            XElement { Name.LocalName: "see" } see => ((string?)see.Attribute("cref"))?.Split('.', ':').Last() ?? see.Value,
            XElement element => element.Value,
            _ => n.ToString(),
        });
        return Whitespace().Replace(string.Concat(parts), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
