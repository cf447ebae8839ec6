using System.CommandLine;
using System.Globalization;

namespace Chat.Server.Hosting;

/// <summary>
/// The <c>chat-server</c> command line. Each option maps to one configuration key, which wins over
/// appsettings.json and the environment.
/// </summary>
internal static class ChatServerCommandLine
{
    public static readonly Option<string> Host = new("--host")
    {
        Description = "address to listen on (default 0.0.0.0, every interface)",
    };

    public static readonly Option<int?> Port = new("--port")
    {
        Description = "TCP port (default 7777; 0 picks a free one)",
    };

    public static readonly Option<int?> MaxUsers = new("--max-users")
    {
        Description = "connected users at most (default 10000)",
    };

    public static readonly Option<int?> MaxFrameLength = new("--max-frame-length")
    {
        Description = "largest frame body a client may send, in bytes (default 65536)",
    };

    public static readonly Option<double?> ShutdownTimeout = new("--shutdown-timeout")
    {
        Description = "seconds a graceful shutdown keeps serving current users (default 5)",
    };

    public static RootCommand CreateRootCommand() =>
        new("A small, fast chat server: protobuf frames over TCP, with an operator console on standard input.")
        {
            Host, Port, MaxUsers, MaxFrameLength, ShutdownTimeout,
        };

    /// <summary>The configuration keys the user set on the command line.</summary>
    public static Dictionary<string, string?> ToSettings(ParseResult parse)
    {
        var settings = new Dictionary<string, string?>();
        const string section = ChatServerOptions.SectionName;
        if (parse.GetValue(Host) is { } host)
        {
            settings[$"{section}:{nameof(ChatServerOptions.Host)}"] = host;
        }

        Put(settings, nameof(ChatServerOptions.Port), parse.GetValue(Port));
        Put(settings, nameof(ChatServerOptions.MaxUsers), parse.GetValue(MaxUsers));
        Put(settings, nameof(ChatServerOptions.MaxFrameLength), parse.GetValue(MaxFrameLength));
        if (parse.GetValue(ShutdownTimeout) is { } seconds)
        {
            settings[$"{section}:{nameof(ChatServerOptions.ShutdownTimeout)}"] =
                TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private static void Put(Dictionary<string, string?> settings, string key, int? value)
    {
        if (value is { } number)
        {
            settings[$"{ChatServerOptions.SectionName}:{key}"] = number.ToString(CultureInfo.InvariantCulture);
        }
    }
}
