using System.Buffers;
using System.Globalization;
using System.Text;

namespace Chat.LoadGen.Echo;

/// <summary>
/// The echo mode's message for a Redis server: <c>ECHO</c> of the very <c>msg</c> a chat message
/// carries (sequence number and filler, see <see cref="EchoTemplate"/>), as a RESP array, and its
/// reply, a bulk string of the same bytes. Measured with the same generator, pipelining and checks
/// as the chat server, the two servers' figures differ only by the servers.
/// </summary>
internal sealed class RespEchoTemplate : IEchoFormat
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    // Only this template's checks of msg are used; its frame is the chat server's.
    private readonly EchoTemplate _text;
    private readonly byte[] _replyHeader;
    private readonly int _messageOffset;

    public RespEchoTemplate(int size)
    {
        _text = new EchoTemplate(size);
        var message = new byte[size];
        _text.Frame.AsSpan(_text.FrameLength - size).CopyTo(message);
        var length = size.ToString(CultureInfo.InvariantCulture);
        var command = Encoding.ASCII.GetBytes($"*2\r\n$4\r\nECHO\r\n${length}\r\n");
        Frame = [.. command, .. message, .. Crlf];
        _messageOffset = command.Length;
        _replyHeader = Encoding.ASCII.GetBytes($"${length}\r\n");
        MaxReplyLength = _replyHeader.Length + size + Crlf.Length;
    }

    public byte[] Frame { get; }

    /// <summary>Every good reply has this length: <c>$S\r\n</c>, the S bytes, <c>\r\n</c>.</summary>
    public int MaxReplyLength { get; }

    public void WriteSequence(Span<byte> frame, long sequence) => EchoTemplate.FormatSequence(frame.Slice(_messageOffset), sequence);

    /// <summary>
    /// A good reply is taken by its fixed length once its header (<c>$S\r\n</c>) is seen to be
    /// the expected one; an error (<c>-ERR ...</c>), a bulk string of another length (<c>$5</c>,
    /// <c>$-1</c>) or anything else, up to its first line's end, so that its text can be reported
    /// even when it is the last reply to come.
    /// </summary>
    public bool TryReadReply(ref ReadOnlySequence<byte> buffer, out ReadOnlySpan<byte> reply)
    {
        reply = default;
        var span = buffer.FirstSpan;
        var header = span[..Math.Min(span.Length, _replyHeader.Length)];
        if (header.Length == 0 || (_replyHeader.AsSpan().StartsWith(header) && header.Length < _replyHeader.Length))
        {
            // Nothing yet, or the start of what may still be the expected header.
            return false;
        }

        if (header.SequenceEqual(_replyHeader))
        {
            if (span.Length < MaxReplyLength)
            {
                return false;
            }

            reply = span[..MaxReplyLength];
            buffer = buffer.Slice(MaxReplyLength);
            return true;
        }

        var end = span.IndexOf(Crlf);
        if (end < 0)
        {
            // A line longer than any good reply is not going to become one.
            if (span.Length < MaxReplyLength)
            {
                return false;
            }

            end = span.Length - Crlf.Length;
        }

        reply = span[..(end + Crlf.Length)];
        buffer = buffer.Slice(end + Crlf.Length);
        return true;
    }

    public string? Verify(ReadOnlySpan<byte> reply, long ownId, long expectedSequence)
    {
        if (!reply.StartsWith(_replyHeader) || !reply.EndsWith(Crlf) || reply.Length != MaxReplyLength)
        {
            var line = reply.IndexOf(Crlf) is var end and >= 0 ? reply[..end] : reply;
            return $"not the bulk reply of {_text.Size} bytes ECHO gives: {Encoding.ASCII.GetString(line[..Math.Min(line.Length, 80)])}";
        }

        var problem = _text.ReadSequence(reply.Slice(_replyHeader.Length, _text.Size), out var sequence);
        return problem is not null
            ? problem
            : sequence == expectedSequence
                ? null
                : sequence > expectedSequence
                    ? $"reply {expectedSequence} lost: got {sequence}"
                    : $"reply {sequence} duplicated or reordered: expected {expectedSequence}";
    }
}
