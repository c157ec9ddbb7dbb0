using System.Runtime.InteropServices;

namespace Platform.Data;

/// <summary>Embeddings are stored as little-endian float32 arrays (bytea / BLOB).</summary>
public static class VectorCodec
{
    public static byte[] ToBytes(ReadOnlySpan<float> vector) => MemoryMarshal.AsBytes(vector).ToArray();

    public static float[] FromBytes(ReadOnlySpan<byte> bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
