using System.Buffers;
using System.Text;
using Chat.Protocol;

namespace Chat.Server.Admin;

/// <summary>
/// Reads command lines of the admin socket's line protocol (docs/OPERATIONS.md, "The line
/// protocol", 1) from bytes that may arrive split or coalesced anyhow. It looks for the line's end
/// only within the limit, so a line over it is refused however it arrives: in one read or many.
/// </summary>
internal static class AdminLineReader
{
    /// <summary>Takes one whole command line off the front of <paramref name="buffer"/>, if one is there.</summary>
    /// <param name="buffer">The unread bytes; on success it is advanced past the line and its <c>\n</c>.</param>
    /// <param name="line">The line without its <c>\n</c> or <c>\r\n</c>.</param>
    /// <returns>False when more bytes are needed; the buffer is then left as it was.</returns>
    /// <exception cref="ProtocolViolationException">
    /// The line is longer than <see cref="AdminProtocol.MaxLineLength"/> bytes, or no <c>\n</c> comes within them.
    /// </exception>
    public static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out string line)
    {
        // The longest acceptable line, with "\r\n" after it; no '\n' within that is a line too long.
        var window = buffer.Slice(0, Math.Min(buffer.Length, AdminProtocol.MaxLineLength + 2));
        if (window.PositionOf((byte)'\n') is not { } end)
        {
            if (window.Length == AdminProtocol.MaxLineLength + 2)
            {
                throw TooLong();
            }

            line = string.Empty;
            return false;
        }

        var content = buffer.Slice(0, end);
        if (content.Length > 0 && content.Slice(content.Length - 1).FirstSpan[0] == (byte)'\r')
        {
            content = content.Slice(0, content.Length - 1);
        }

        if (content.Length > AdminProtocol.MaxLineLength)
        {
            throw TooLong();
        }

        line = Encoding.UTF8.GetString(content);
        buffer = buffer.Slice(buffer.GetPosition(1, end));
        return true;
    }

    private static ProtocolViolationException TooLong() =>
        new($"command line longer than {AdminProtocol.MaxLineLength} bytes");
}
