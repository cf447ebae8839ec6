using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Chat.Conform.Checks;
using Chat.Conform.Reports;
using Chat.Conform.Running;
using Chat.Protocol;

namespace Chat.Conform;

/// <summary>
/// The <c>chat-conform</c> command line. Exit code 0 when every check that ran passed, 1 when one
/// failed, 2 when the options are wrong (nothing touched the network then).
/// </summary>
internal static class ConformCommandLine
{
    public const int AllPassed = 0;
    public const int SomeFailed = 1;
    public const int UsageError = 2;

    private static readonly Option<string> Host = new("--host")
    {
        Description = "the server's address or host name (default 127.0.0.1)",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    private static readonly Option<int> Port = new("--port")
    {
        Description = "the server's TCP port",
    };

    private static readonly Option<string> Level = new("--level")
    {
        Description = "assignment (what the course asks) or contract (everything PROTOCOL.md promises; the default)",
        DefaultValueFactory = _ => "contract",
    };

    private static readonly Option<string> Only = new("--only")
    {
        Description = "run just these checks, by name, separated by commas (see --list)",
    };

    private static readonly Option<bool> Json = new("--json")
    {
        Description = "write the report as JSON on standard output instead of lines",
    };

    private static readonly Option<string> Html = new("--html")
    {
        Description = "also write a self-contained HTML report to this file",
    };

    private static readonly Option<int?> MaxUsers = new("--max-users")
    {
        Description = "the user limit the server runs with; the refusal checks fill it (skipped without it)",
    };

    private static readonly Option<int?> ServerPid = new("--server-pid")
    {
        Description = "the server's process id; the drain check stops it with SIGTERM, last (skipped without it)",
    };

    private static readonly Option<double> Timeout = new("--timeout")
    {
        Description = "seconds a reply may take before a check calls it missing (default 2)",
        DefaultValueFactory = _ => ConformSettings.DefaultTimeout.TotalSeconds,
    };

    private static readonly Option<int> MaxFrameLength = new("--max-frame-length")
    {
        Description = "the server's maximum frame body, if its operator changed it (default 65536)",
        DefaultValueFactory = _ => FrameLimits.DefaultMaxBodyLength,
    };

    private static readonly Option<bool> List = new("--list")
    {
        Description = "list the checks with their level and what each tests, and exit",
    };

    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Tests a chat server of this protocol through its socket alone and says, check by check, what it does wrong.")
        {
            Host, Port, Level, Only, Json, Html, MaxUsers, ServerPid, Timeout, MaxFrameLength, List,
        };
        root.SetAction((parse, token) => RunAsync(parse, token));
        return root;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (parse.GetValue(List))
        {
            foreach (var check in CheckCatalog.All)
            {
                Console.WriteLine($"{check.Name,-22} {StatusWords.LevelName(check.Level),-10} {check.Description}");
            }

            return AllPassed;
        }

        var problems = new List<string>();
        var settings = await ReadAsync(parse, problems, cancellationToken);
        if (settings is null)
        {
            foreach (var problem in problems)
            {
                Console.Error.WriteLine(problem);
            }

            return UsageError;
        }

        var checks = CheckCatalog.Select(settings.Level, settings.Only);
        IServerProcess? process = settings.ServerPid is { } pid ? new SignalledProcess(pid) : null;
        var json = parse.GetValue(Json);
        var text = new TextReport(Console.Out, checks);
        if (!json)
        {
            text.WriteHeader(settings, checks.Count);
        }

        var report = await ConformanceRunner.RunAsync(settings, checks, process, json ? null : text.Write, cancellationToken);
        if (json)
        {
            using var output = Console.OpenStandardOutput();
            JsonReport.Write(output, report);
        }
        else
        {
            text.WriteSummary(report);
        }

        if (parse.GetValue(Html) is { Length: > 0 } path)
        {
            HtmlReport.Write(path, report);
        }

        return report.Failed == 0 ? AllPassed : SomeFailed;
    }

    // The settings, or null with every problem in `problems`.
    private static async Task<ConformSettings?> ReadAsync(ParseResult parse, List<string> problems, CancellationToken cancellationToken)
    {
        var port = parse.GetValue(Port);
        if (port is < 1 or > 65535)
        {
            problems.Add("--port is required, between 1 and 65535");
        }

        var level = parse.GetValue(Level) switch
        {
            "assignment" => CheckLevel.Assignment,
            "contract" => CheckLevel.Contract,
            var other => Problem(problems, $"--level must be assignment or contract, not '{other}'", CheckLevel.Contract),
        };
        var only = parse.GetValue(Only) is { } names
            ? names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : Array.Empty<string>();
        if (CheckCatalog.Unknown(only) is { Count: > 0 } unknown)
        {
            problems.Add($"--only names no check called {string.Join(", ", unknown)}; the checks are: " +
                string.Join(", ", CheckCatalog.All.Select(check => check.Name)));
        }

        if (parse.GetValue(MaxUsers) is < 1 or > 10_000)
        {
            problems.Add("--max-users must be between 1 and 10000");
        }

        if (parse.GetValue(Timeout) is <= 0 or > 60)
        {
            problems.Add("--timeout must be more than 0 and at most 60 seconds");
        }

        if (parse.GetValue(MaxFrameLength) is < 16 or > 64 * 1024 * 1024)
        {
            problems.Add("--max-frame-length must be between 16 and 67108864");
        }

        var host = parse.GetValue(Host) ?? "127.0.0.1";
        var address = await ResolveAsync(host, problems, cancellationToken);
        if (problems.Count > 0 || address is null)
        {
            return null;
        }

        return new ConformSettings(
            $"{host}:{port}",
            new IPEndPoint(address, port),
            level,
            only,
            parse.GetValue(MaxUsers),
            parse.GetValue(ServerPid),
            TimeSpan.FromSeconds(parse.GetValue(Timeout)),
            parse.GetValue(MaxFrameLength));
    }

    private static async Task<IPAddress?> ResolveAsync(string host, List<string> problems, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            return addresses.FirstOrDefault(candidate => candidate.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? Problem<IPAddress?>(problems, $"--host {host} has no address", null);
        }
        catch (SocketException exception)
        {
            return Problem<IPAddress?>(problems, $"--host {host} cannot be resolved: {exception.Message}", null);
        }
    }

    private static T Problem<T>(List<string> problems, string problem, T fallback)
    {
        problems.Add(problem);
        return fallback;
    }
}
