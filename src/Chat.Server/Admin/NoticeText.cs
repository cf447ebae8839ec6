using System.Globalization;
using System.Text;
using Chat.Server.Sessions;

namespace Chat.Server.Admin;

/// <summary>Checks text an operator sends to users as a notice against the notice bound.</summary>
internal static class NoticeText
{
    /// <exception cref="CommandException">The notice would be longer than <see cref="ServerNotices.MaxTextBytes"/>.</exception>
    public static void EnsureFits(string notice, string what)
    {
        if (!ServerNotices.Fits(notice))
        {
            throw new CommandException(string.Create(CultureInfo.InvariantCulture,
                $"{what} is too long: the notice would be {Encoding.UTF8.GetByteCount(notice)} bytes of UTF-8, at most {ServerNotices.MaxTextBytes} fit"));
        }
    }
}
