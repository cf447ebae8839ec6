namespace Chat.Conform.Wire;

/// <summary>How a wait for the server's next frame ended.</summary>
internal enum ReceivedKind
{
    /// <summary>A whole frame arrived.</summary>
    Frame,

    /// <summary>The server closed the connection (or reset it) between frames.</summary>
    Closed,

    /// <summary>Nothing whole arrived before the deadline.</summary>
    TimedOut,

    /// <summary>The bytes cannot be frames: a bad prefix, an absurd length, a stream cut inside a frame.</summary>
    Broken,
}
