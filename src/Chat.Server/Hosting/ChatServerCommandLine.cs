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

    public static readonly Option<int?> TlsPort = new("--tls-port")
    {
        Description = "TCP port for TLS connections, beside the plain port (default: none; 0 picks a free one)",
    };

    public static readonly Option<string> TlsCertificate = new("--tls-cert")
    {
        Description = "the TLS certificate: a PEM file such as certbot's fullchain.pem, or a PFX without a password",
    };

    public static readonly Option<string> TlsKey = new("--tls-key")
    {
        Description = "the PEM private key of --tls-cert, such as certbot's privkey.pem",
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

    public static readonly Option<string> AdminSocket = new("--admin-socket")
    {
        Description = "Unix socket of the remote console ('chat-server admin'); default $XDG_RUNTIME_DIR/chat-server.sock, empty for none",
    };

    public static readonly Option<int?> HttpPort = new("--http-port")
    {
        Description = "TCP port of the chat page (/) and WebSocket sessions (/ws) on --host (default 8080; 'off' turns it off)",
        CustomParser = ParseHttpPort,
    };

    public static readonly Option<string> AdminToken = new("--admin-token")
    {
        Description = "the operator's token for the dashboard (/admin) and its API (/api); default: a random one, printed at start",
    };

    public static readonly Option<int?> MetricsPort = new("--metrics-port")
    {
        Description = "TCP port serving Prometheus metrics at /metrics (default 0: off)",
    };

    public static readonly Option<string> MetricsHost = new("--metrics-host")
    {
        Description = "address the metrics endpoint listens on (default 127.0.0.1)",
    };

    public static readonly Option<string> Redis = new("--redis")
    {
        Description = "cluster mode: the Redis to share users through, as a StackExchange.Redis configuration string (default: none, the server runs alone)",
    };

    public static readonly Option<string> Cluster = new("--cluster")
    {
        Description = "cluster name, the prefix of every Redis key and channel (default chat)",
    };

    public static readonly Option<string> NodeName = new("--node-name")
    {
        Description = "this node's name in the cluster (default: host name and process id)",
    };

    public static readonly Option<double?> NodeTimeout = new("--node-timeout")
    {
        Description = "seconds after which a silent node is declared dead (default 6)",
    };

    /// <summary>The admin subcommand's own --admin-socket: the socket of the server to reach.</summary>
    public static readonly Option<string> AdminClientSocket = new("--admin-socket")
    {
        Description = "the server's admin socket (default: as the server's, from appsettings.json and Chat__AdminSocketPath)",
    };

    public static readonly Argument<string[]> AdminCommandLine = new("command")
    {
        Description = "an operator command and its arguments, such as 'num.users'; none reads commands from standard input",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static readonly Command Admin = new("admin", "Run operator commands on a running server over its admin socket. Exit code 0 when the command ran, 1 when it failed, 2 when the server cannot be reached.")
    {
        AdminClientSocket, AdminCommandLine,
    };

    // The longest drain an operator may ask for, in seconds (ChatServerOptions.ShutdownTimeout's range).
    private const double MaxShutdownSeconds = 600;

    public static RootCommand CreateRootCommand()
    {
        // Checked here, where the number is parsed: NaN, infinities and huge values have no TimeSpan.
        ShutdownTimeout.Validators.Add(static result =>
        {
            if (result.GetValueOrDefault<double?>() is { } seconds && !(seconds >= 0 && seconds <= MaxShutdownSeconds))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture,
                    $"--shutdown-timeout {seconds} is not a number of seconds from 0 to {MaxShutdownSeconds}."));
            }
        });
        NodeTimeout.Validators.Add(static result =>
        {
            if (result.GetValueOrDefault<double?>() is { } seconds && !(seconds >= 0.3 && seconds <= MaxShutdownSeconds))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture,
                    $"--node-timeout {seconds} is not a number of seconds from 0.3 to {MaxShutdownSeconds}."));
            }
        });
        // The command's own words pass through untouched ('list.users --json'), so unknown options are not errors.
        Admin.TreatUnmatchedTokensAsErrors = false;
        // Program runs the server or the remote console itself; these actions only make each
        // command runnable on its own, without a subcommand.
        Admin.SetAction(static _ => 0);
        var root = new RootCommand("A small, fast chat server: protobuf frames over TCP, with an operator console on standard input.")
        {
            Host, Port, TlsPort, TlsCertificate, TlsKey, MaxUsers, MaxFrameLength, ShutdownTimeout, AdminSocket, HttpPort, AdminToken, MetricsPort, MetricsHost, Redis, Cluster, NodeName, NodeTimeout, Admin,
        };
        root.SetAction(static _ => 0);
        return root;
    }

    /// <summary>The operator command typed after <c>admin</c>, in order, without the admin options; null for none.</summary>
    public static string? ToAdminCommandLine(IReadOnlyList<string> args)
    {
        var words = new List<string>();
        var start = args.ToList().IndexOf(Admin.Name) + 1;
        for (var i = start; i < args.Count; i++)
        {
            if (args[i] == AdminClientSocket.Name)
            {
                i++;
            }
            else if (!args[i].StartsWith(AdminClientSocket.Name + "=", StringComparison.Ordinal))
            {
                words.Add(args[i]);
            }
        }

        return words.Count == 0 ? null : string.Join(' ', words);
    }

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
        Put(settings, nameof(ChatServerOptions.TlsPort), parse.GetValue(TlsPort));
        if (parse.GetValue(TlsCertificate) is { } certificate)
        {
            settings[$"{section}:{nameof(ChatServerOptions.TlsCertificate)}"] = certificate;
        }

        if (parse.GetValue(TlsKey) is { } key)
        {
            settings[$"{section}:{nameof(ChatServerOptions.TlsKey)}"] = key;
        }

        Put(settings, nameof(ChatServerOptions.MaxUsers), parse.GetValue(MaxUsers));
        Put(settings, nameof(ChatServerOptions.MaxFrameLength), parse.GetValue(MaxFrameLength));
        Put(settings, nameof(ChatServerOptions.HttpPort), parse.GetValue(HttpPort));
        Put(settings, nameof(ChatServerOptions.MetricsPort), parse.GetValue(MetricsPort));
        if (parse.GetValue(AdminSocket) is { } adminSocket)
        {
            settings[$"{section}:{nameof(ChatServerOptions.AdminSocketPath)}"] = adminSocket;
        }

        if (parse.GetValue(MetricsHost) is { } metricsHost)
        {
            settings[$"{section}:{nameof(ChatServerOptions.MetricsHost)}"] = metricsHost;
        }

        if (parse.GetValue(ShutdownTimeout) is { } seconds)
        {
            settings[$"{section}:{nameof(ChatServerOptions.ShutdownTimeout)}"] =
                TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);
        }

        PutText(settings, nameof(ChatServerOptions.AdminToken), parse.GetValue(AdminToken));
        PutText(settings, nameof(ChatServerOptions.Redis), parse.GetValue(Redis));
        PutText(settings, nameof(ChatServerOptions.Cluster), parse.GetValue(Cluster));
        PutText(settings, nameof(ChatServerOptions.NodeName), parse.GetValue(NodeName));
        if (parse.GetValue(NodeTimeout) is { } nodeSeconds && double.IsFinite(nodeSeconds) && nodeSeconds is >= 0 and <= 86_400)
        {
            settings[$"{section}:{nameof(ChatServerOptions.NodeTimeout)}"] =
                TimeSpan.FromSeconds(nodeSeconds).ToString("c", CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private static void PutText(Dictionary<string, string?> settings, string key, string? value)
    {
        if (value is not null)
        {
            settings[$"{ChatServerOptions.SectionName}:{key}"] = value;
        }
    }

    // "off" is the word an operator types; the configuration key holds -1 for it.
    private static int? ParseHttpPort(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (string.Equals(text, "off", StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return port;
        }

        result.AddError($"--http-port must be a port number or 'off', not '{text}'.");
        return null;
    }

    private static void Put(Dictionary<string, string?> settings, string key, int? value)
    {
        if (value is { } number)
        {
            settings[$"{ChatServerOptions.SectionName}:{key}"] = number.ToString(CultureInfo.InvariantCulture);
        }
    }
}
