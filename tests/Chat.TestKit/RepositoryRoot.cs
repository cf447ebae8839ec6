namespace Chat.TestKit;

/// <summary>The checkout the tests run from: the folder above the test assembly that holds Chat.slnx.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    /// <summary>A path inside the checkout, from its parts (<c>"docs", "PROTOCOL.md"</c>).</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Chat.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no Chat.slnx in any folder above {AppContext.BaseDirectory}");
    }
}
