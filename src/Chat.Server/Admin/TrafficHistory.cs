namespace Chat.Server.Admin;

/// <summary>
/// What <c>history</c> shows, and the shape of <c>history --json</c>: one entry a step, oldest first.
/// <paramref name="Newest"/> numbers the newest step since start, so that a caller asking again can
/// tell which steps it has already seen.
/// </summary>
internal sealed record TrafficHistory(long Newest, double IntervalSeconds, IReadOnlyList<double> MessagesPerSecond, IReadOnlyList<int> Users);
