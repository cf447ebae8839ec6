using System.Text.Json;

namespace Chat.LoadGen.Soak;

/// <summary>The server's own figures at one moment: its garbage collections (from <c>stats --json</c>) and resident memory.</summary>
internal readonly record struct ServerFigures(int Gen0, int Gen1, int Gen2, long? RssKiB)
{
    public static async Task<ServerFigures> ReadAsync(AdminConnection admin, int? pid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        using var stats = JsonDocument.Parse(await admin.AskAsync("stats --json", cancellationToken));
        var memory = stats.RootElement.GetProperty("memory");
        return new ServerFigures(
            memory.GetProperty("gen0_collections").GetInt32(),
            memory.GetProperty("gen1_collections").GetInt32(),
            memory.GetProperty("gen2_collections").GetInt32(),
            ProcessSample.TryRead(pid)?.RssKiB);
    }

    /// <summary>Collections between <paramref name="before"/> and this, as <c>gen0/gen1/gen2</c>.</summary>
    public string CollectionsSince(ServerFigures before) => $"{Gen0 - before.Gen0}/{Gen1 - before.Gen1}/{Gen2 - before.Gen2}";
}
