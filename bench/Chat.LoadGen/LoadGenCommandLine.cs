using System.CommandLine;
using System.Net;
using Chat.LoadGen.Soak;

namespace Chat.LoadGen;

/// <summary>
/// The <c>chat-bench</c> command line: <c>echo</c>, <c>connect</c>, <c>churn</c> and <c>soak</c>, against a server on
/// the loopback interface only. Every run is bounded in time and stops by itself.
/// </summary>
internal static class LoadGenCommandLine
{
    // The descriptor limit here is 20,000 and the generator holds one per connection.
    private const int MaxConnections = 19_000;

    // A measured window longer than this is a mistake, not a benchmark.
    private const double MaxSeconds = 600;

    private const int UsageError = 2;

    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Load generator for the chat server: real loopback connections, every echo checked.");
        root.Subcommands.Add(EchoCommand());
        root.Subcommands.Add(ConnectCommand());
        root.Subcommands.Add(ChurnCommand());
        root.Subcommands.Add(SoakCommand.Create(Refuse));
        return root;
    }

    private static Command EchoCommand()
    {
        var common = new CommonOptions(defaultConnections: 16);
        var pipeline = new Option<int>("--pipeline", "-p")
        {
            Description = "messages each connection keeps in flight (default 1)",
            DefaultValueFactory = _ => 1,
        };
        var size = new Option<int>("--size", "-s")
        {
            Description = $"bytes of msg in each message, at least {EchoTemplate.MinimumSize} (default 32)",
            DefaultValueFactory = _ => 32,
        };
        var tls = new Option<bool>("--tls")
        {
            Description = "connect to the server's TLS port (--port) with TLS 1.2 or 1.3, accepting any certificate",
        };
        var command = new Command("echo", "C connections each keep P messages of S bytes in flight; every echo is checked");
        common.AddTo(command);
        command.Options.Add(pipeline);
        command.Options.Add(size);
        command.Options.Add(tls);
        command.SetAction((parse, token) =>
        {
            var settings = common.Read(parse, out var problems);
            if (parse.GetValue(pipeline) is < 1 or > 10_000)
            {
                problems.Add("--pipeline must be between 1 and 10000");
            }

            if (parse.GetValue(size) is < EchoTemplate.MinimumSize or > 60 * 1024)
            {
                problems.Add($"--size must be between {EchoTemplate.MinimumSize} and {60 * 1024}");
            }

            return problems.Count > 0
                ? Refuse(problems)
                : EchoRun.RunAsync(settings, parse.GetValue(pipeline), parse.GetValue(size), parse.GetValue(tls), token);
        });
        return command;
    }

    private static Command ConnectCommand()
    {
        var common = new CommonOptions(defaultConnections: 1000);
        var raw = new Option<bool>("--raw")
        {
            Description = "plain TCP connections that wait for no handshake (to measure another server, such as Redis)",
        };
        var hold = new Option<double>("--hold")
        {
            Description = "seconds to hold the connections once open (default 2)",
            DefaultValueFactory = _ => 2,
        };
        var command = new Command("connect", "open and hold C idle connections; with --server-pid, the server's memory per connection");
        common.AddTo(command);
        command.Options.Add(raw);
        command.Options.Add(hold);
        command.SetAction((parse, token) =>
        {
            var settings = common.Read(parse, out var problems);
            if (parse.GetValue(hold) is < 1 or > MaxSeconds)
            {
                problems.Add($"--hold must be between 1 and {MaxSeconds} seconds");
            }

            return problems.Count > 0
                ? Refuse(problems)
                : ConnectRun.RunAsync(settings, parse.GetValue(raw), TimeSpan.FromSeconds(parse.GetValue(hold)), token);
        });
        return command;
    }

    private static Command ChurnCommand()
    {
        var common = new CommonOptions(defaultConnections: 4);
        var command = new Command("churn", "C parallel loops of connect, handshake, close: handshakes per second and latency");
        common.AddTo(command);
        command.SetAction((parse, token) =>
        {
            var settings = common.Read(parse, out var problems);
            return problems.Count > 0 ? Refuse(problems) : ChurnRun.RunAsync(settings, token);
        });
        return command;
    }

    // Bad options: say what is wrong and exit 2 without touching the network.
    private static Task<int> Refuse(List<string> problems)
    {
        foreach (var problem in problems)
        {
            Console.Error.WriteLine(problem);
        }

        return Task.FromResult(UsageError);
    }

    /// <summary>The options every mode takes; a new set per command.</summary>
    private sealed class CommonOptions
    {
        private readonly Option<string> _host = new("--host")
        {
            Description = "server address, loopback only (default 127.0.0.1)",
            DefaultValueFactory = _ => "127.0.0.1",
        };

        private readonly Option<int> _port = new("--port")
        {
            Description = "server port",
            Required = true,
        };

        private readonly Option<int> _connections;

        private readonly Option<double> _duration = new("--duration", "-d")
        {
            Description = "seconds measured, after the warm-up (default 5)",
            DefaultValueFactory = _ => 5,
        };

        private readonly Option<double> _warmup = new("--warmup", "-w")
        {
            Description = "seconds of warm-up whose results are dropped (default 1)",
            DefaultValueFactory = _ => 1,
        };

        private readonly Option<int?> _serverPid = new("--server-pid")
        {
            Description = "the server's process id: adds its CPU time per operation and its memory (Linux /proc)",
        };

        private readonly Option<double?> _minRate = new("--min-rate")
        {
            Description = "budget: exit code 3 when fewer operations per second",
        };

        private readonly Option<double?> _maxP99 = new("--max-p99-us")
        {
            Description = "budget: exit code 3 when the 99th percentile latency is higher, in microseconds",
        };

        public CommonOptions(int defaultConnections) =>
            _connections = new Option<int>("--connections", "-c")
            {
                Description = $"connections (default {defaultConnections})",
                DefaultValueFactory = _ => defaultConnections,
            };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _host, _port, _connections, _duration, _warmup, _serverPid, _minRate, _maxP99 })
            {
                command.Options.Add(option);
            }
        }

        /// <summary>The settings, and in <paramref name="problems"/> every option that is out of range.</summary>
        public RunSettings Read(ParseResult parse, out List<string> problems)
        {
            problems = [];
            if (!IPAddress.TryParse(parse.GetValue(_host), out var address) || !IPAddress.IsLoopback(address))
            {
                problems.Add("--host must be a loopback address such as 127.0.0.1");
                address = IPAddress.Loopback;
            }

            if (parse.GetValue(_port) is < 1 or > 65535)
            {
                problems.Add("--port must be between 1 and 65535");
            }

            if (parse.GetValue(_connections) is < 1 or > MaxConnections)
            {
                problems.Add($"--connections must be between 1 and {MaxConnections}");
            }

            if (parse.GetValue(_duration) is <= 0 or > MaxSeconds || parse.GetValue(_warmup) is < 0 or > MaxSeconds)
            {
                problems.Add($"--duration and --warmup must be between 0 and {MaxSeconds} seconds");
            }

            return new RunSettings(
                new IPEndPoint(address, Math.Clamp(parse.GetValue(_port), 0, 65535)),
                parse.GetValue(_connections),
                TimeSpan.FromSeconds(parse.GetValue(_warmup)),
                TimeSpan.FromSeconds(parse.GetValue(_duration)),
                parse.GetValue(_serverPid),
                parse.GetValue(_minRate),
                parse.GetValue(_maxP99));
        }
    }
}
