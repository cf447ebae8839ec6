namespace Chat.Conform.Running;

/// <summary>A section of docs/PROTOCOL.md that states a check's rule: its heading and its anchor.</summary>
internal sealed record ProtocolSection(string Title, string Anchor)
{
    /// <summary>The link from the repository root.</summary>
    public string Link => $"docs/PROTOCOL.md#{Anchor}";
}
