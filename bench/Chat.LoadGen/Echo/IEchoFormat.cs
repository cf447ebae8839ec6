using System.Buffers;

namespace Chat.LoadGen.Echo;

/// <summary>
/// What one message of the echo mode is on the wire and how its reply is read and checked: a chat
/// frame and its echo (<see cref="EchoTemplate"/>), or Redis's <c>ECHO</c> and its bulk reply
/// (<see cref="RespEchoTemplate"/>), so that the same generator drives both servers.
/// </summary>
internal interface IEchoFormat
{
    /// <summary>One message with sequence number 0, ready to send.</summary>
    byte[] Frame { get; }

    /// <summary>The longest reply to one message, in bytes.</summary>
    int MaxReplyLength { get; }

    /// <summary>Writes <paramref name="sequence"/> into a copy of <see cref="Frame"/>.</summary>
    void WriteSequence(Span<byte> frame, long sequence);

    /// <summary>
    /// Takes one whole reply off the front of <paramref name="buffer"/>; false while it has not all
    /// arrived. A reply that can never be whole (too long, not of this protocol) is taken as it is,
    /// for <see cref="Verify"/> to say what is wrong with it.
    /// </summary>
    bool TryReadReply(ref ReadOnlySequence<byte> buffer, out ReadOnlySpan<byte> reply);

    /// <summary>Null when <paramref name="reply"/> answers message <paramref name="expectedSequence"/> of connection <paramref name="ownId"/>, else what is wrong.</summary>
    string? Verify(ReadOnlySpan<byte> reply, long ownId, long expectedSequence);
}
