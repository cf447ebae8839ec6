namespace Chat.Server.Hosting;

/// <summary>Cluster and node names become parts of Redis keys and channels: short, and no spaces or colons.</summary>
internal static class ClusterNames
{
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= 64 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>A default node name: the host's name, the process id and a random suffix, so two servers in one process differ too.</summary>
    public static string DefaultNodeName()
    {
        var host = new string([.. Environment.MachineName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')]);
        return $"{(host.Length == 0 ? "node" : host[..Math.Min(host.Length, 40)])}-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}";
    }
}
