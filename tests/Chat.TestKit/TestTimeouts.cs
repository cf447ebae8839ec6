namespace Chat.TestKit;

/// <summary>
/// How long a test waits for an event before it fails. Generous, because the bound only matters
/// when the event never comes: a passing test never waits it out.
/// </summary>
public static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);
}
