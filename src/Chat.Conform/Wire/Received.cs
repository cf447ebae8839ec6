namespace Chat.Conform.Wire;

/// <summary>
/// The outcome of one wait for a frame: the body, or why there is none. <see cref="Problem"/> says a
/// broken stream's fault in plain words.
/// </summary>
internal readonly record struct Received(ReceivedKind Kind, byte[] Body, string Problem)
{
    public static Received Frame(byte[] body) => new(ReceivedKind.Frame, body, string.Empty);

    public static readonly Received Closed = new(ReceivedKind.Closed, [], string.Empty);

    public static readonly Received TimedOut = new(ReceivedKind.TimedOut, [], string.Empty);

    public static Received Broken(string problem) => new(ReceivedKind.Broken, [], problem);
}
