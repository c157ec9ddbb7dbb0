namespace Platform.Search.Graph;

/// <summary>A named thing. <see cref="Key"/> is the lower-cased, space-normalised name: the same name is the same entity per tenant.</summary>
public sealed record GraphEntity(string Key, string Name, string Kind)
{
    public static string KeyOf(string name) => string.Join(' ', name.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>A relation between two entities stated (or co-occurring) in one chunk.</summary>
public sealed record GraphRelation(string SourceKey, string TargetKey, string Relation);

/// <summary>What one chunk contributes to the graph.</summary>
public sealed record ChunkGraph(Guid ChunkId, Guid DocumentId, IReadOnlyList<GraphEntity> Entities, IReadOnlyList<GraphRelation> Relations);

public sealed record GraphNeighbour(GraphEntity Entity, string Relation, int Weight);

public sealed record GraphMention(Guid ChunkId, Guid DocumentId);

/// <summary>An entity with how many chunks mention it and in how many documents (1 in a document's own list).</summary>
public sealed record RankedEntity(string Key, string Name, string Kind, int Chunks, int Documents);
