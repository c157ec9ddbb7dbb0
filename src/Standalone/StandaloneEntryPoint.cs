namespace Platform.Standalone;

/// <summary>Names this program's assembly for <c>WebApplicationFactory</c> in tests; the program itself is Program.cs.</summary>
public sealed class StandaloneEntryPoint;
