using System.CommandLine;
using Chat.LoadGen.Echo;
using Chat.LoadGen.Links;
using Chat.LoadGen.Soak;
using Chat.LoadGen.Traffic;

namespace Chat.LoadGen;

/// <summary>
/// The <c>chat-bench</c> command line: <c>echo</c>, <c>connect</c>, <c>churn</c>, <c>fanout</c> and <c>soak</c>,
/// against servers on the loopback interface only, over TCP or WebSocket, on one server or spread over
/// the nodes of a cluster. Every run is bounded in time and stops by itself.
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
        root.Subcommands.Add(FanoutCommand());
        root.Subcommands.Add(SoakCommand.Create(Refuse));
        return root;
    }

    private static Command EchoCommand()
    {
        var common = new CommonOptions(defaultConnections: 16);
        var messages = new MessageOptions("messages each connection keeps in flight", maxPipeline: 10_000);
        var tls = new Option<bool>("--tls")
        {
            Description = "connect to the server's TLS port (--port) with TLS 1.2 or 1.3, accepting any certificate",
        };
        var traffic = new Option<string>("--traffic")
        {
            Description = "whom each message goes to: self (to = 0, the echo only; default), local (clients in pairs on the same server, " +
                          "each writing to the other), cross (pairs on different servers of a cluster)",
            DefaultValueFactory = _ => TrafficPlan.Self,
        };
        var batches = new Option<bool>("--batches")
        {
            Description = "send the P messages at once and the next P once all are back, as redis-benchmark -P does " +
                          "(default: a sliding window, one more message for each echo)",
        };
        var command = new Command("echo", "C connections each keep P messages of S bytes in flight; every echo (and with --traffic every delivery) is checked");
        common.AddTo(command);
        messages.AddTo(command);
        command.Options.Add(tls);
        command.Options.Add(traffic);
        command.Options.Add(batches);
        command.SetAction((parse, token) =>
        {
            var settings = common.Read(parse, out var problems);
            var pattern = TrafficPlan.TryParse(parse.GetValue(traffic));
            if (pattern is null)
            {
                problems.Add("--traffic must be self, local or cross");
            }
            else if (TrafficPlan.Check(pattern.Value, settings.Connections, settings.EndPoints.Count) is { } problem)
            {
                problems.Add(problem);
            }

            if (parse.GetValue(tls) && (settings.Transport != TransportKind.Tcp || pattern is not TrafficPattern.Self))
            {
                problems.Add("--tls goes with --transport tcp and --traffic self only");
            }

            if (pattern is not TrafficPattern.Self && (settings.Transport == TransportKind.Resp || parse.GetValue(batches)))
            {
                problems.Add("--transport resp and --batches go with --traffic self only");
            }

            var (pipeline, size) = messages.Read(parse, problems);
            return problems.Count > 0
                ? Refuse(problems)
                : pattern == TrafficPattern.Self
                    ? EchoRun.RunAsync(settings, pipeline, size, parse.GetValue(tls), parse.GetValue(batches), token)
                    : TrafficRun.RunDirectAsync(settings, pattern!.Value, pipeline, size, token);
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

            if (parse.GetValue(raw) && settings.Transport != TransportKind.Tcp)
            {
                problems.Add("--raw goes with --transport tcp only");
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

    private static Command FanoutCommand()
    {
        var common = new CommonOptions(defaultConnections: null);
        var receivers = new Option<int>("--receivers", "-r")
        {
            Description = "users that only receive (default 1000)",
            DefaultValueFactory = _ => 1000,
        };
        var senders = new Option<int>("--senders")
        {
            Description = "users that broadcast (to = -1); each also receives the others' (default 1)",
            DefaultValueFactory = _ => 1,
        };
        var messages = new MessageOptions("broadcasts each sender keeps in flight, until every user has it", maxPipeline: 1000);
        var command = new Command("fanout", "S senders broadcast to R receivers (spread over the servers); deliveries/s, delivery latency, server CPU per delivery; every delivery checked");
        common.AddTo(command);
        command.Options.Add(receivers);
        command.Options.Add(senders);
        messages.AddTo(command);
        command.SetAction((parse, token) =>
        {
            var users = parse.GetValue(receivers) + parse.GetValue(senders);
            var settings = common.Read(parse, out var problems) with { Connections = users };
            if (parse.GetValue(senders) is < 1 or > 100)
            {
                problems.Add("--senders must be between 1 and 100");
            }

            if (parse.GetValue(receivers) < 1 || users > MaxConnections)
            {
                problems.Add($"--receivers must be at least 1, with the senders at most {MaxConnections}");
            }

            if (settings.Transport == TransportKind.Resp)
            {
                problems.Add("--transport resp goes with echo, connect and churn only");
            }

            var (pipeline, size) = messages.Read(parse, problems);
            return problems.Count > 0
                ? Refuse(problems)
                : TrafficRun.RunFanoutAsync(settings, parse.GetValue(senders), parse.GetValue(receivers), pipeline, size, token);
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

    /// <summary>What each message is and how many are in flight: <c>--pipeline</c> and <c>--size</c>.</summary>
    private sealed class MessageOptions
    {
        private const int MaxSize = 60 * 1024;

        private readonly Option<int> _pipeline;
        private readonly Option<int> _size = new("--size", "-s")
        {
            Description = $"bytes of msg in each message, at least {EchoTemplate.MinimumSize} (default 32)",
            DefaultValueFactory = _ => 32,
        };

        private readonly int _maxPipeline;

        public MessageOptions(string inFlight, int maxPipeline)
        {
            _maxPipeline = maxPipeline;
            _pipeline = new Option<int>("--pipeline", "-p") { Description = $"{inFlight} (default 1)", DefaultValueFactory = _ => 1 };
        }

        public void AddTo(Command command)
        {
            command.Options.Add(_pipeline);
            command.Options.Add(_size);
        }

        public (int Pipeline, int Size) Read(ParseResult parse, List<string> problems)
        {
            var (pipeline, size) = (parse.GetValue(_pipeline), parse.GetValue(_size));
            if (pipeline < 1 || pipeline > _maxPipeline)
            {
                problems.Add($"--pipeline must be between 1 and {_maxPipeline}");
            }

            if (size is < EchoTemplate.MinimumSize or > MaxSize)
            {
                problems.Add($"--size must be between {EchoTemplate.MinimumSize} and {MaxSize}");
            }

            return (pipeline, size);
        }
    }

    /// <summary>The options every mode takes; a new set per command.</summary>
    private sealed class CommonOptions
    {
        private readonly Option<string> _host = new("--host")
        {
            Description = "server address, loopback only (default 127.0.0.1)",
            DefaultValueFactory = _ => "127.0.0.1",
        };

        private readonly Option<int?> _port = new("--port")
        {
            Description = "server port: the chat port for tcp, the HTTP port (--http-port) for ws; or use --servers",
        };

        private readonly Option<string[]> _servers = new("--servers", "--server")
        {
            Description = "servers host:port, comma-separated or repeated: the nodes of a cluster, clients spread over them",
            Arity = ArgumentArity.ZeroOrMore,
        };

        private readonly Option<string> _transport = new("--transport")
        {
            Description = "tcp (the chat port, default), ws (WebSocket at ws://host:port/ws, subprotocol chat.v1), " +
                          "or resp (a Redis server: PING for the handshake, ECHO for a message; to measure Redis with this same generator)",
            DefaultValueFactory = _ => TransportNames.Tcp,
        };

        private readonly Option<int>? _connections;

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

        private readonly Option<string[]> _serverPid = new("--server-pid")
        {
            Description = "the servers' process ids (repeated or comma-separated): adds their CPU time per operation and memory (Linux /proc)",
            Arity = ArgumentArity.ZeroOrMore,
        };

        private readonly Option<int?> _redisPid = new("--redis-pid")
        {
            Description = "a cluster's redis-server process id: adds its CPU time per operation",
        };

        private readonly Option<double?> _minRate = new("--min-rate")
        {
            Description = "budget: exit code 3 when fewer operations per second",
        };

        private readonly Option<double?> _maxP99 = new("--max-p99-us")
        {
            Description = "budget: exit code 3 when the 99th percentile latency is higher, in microseconds",
        };

        /// <summary>Options for a mode with C connections (<c>-c</c>), or none when <paramref name="defaultConnections"/> is null.</summary>
        public CommonOptions(int? defaultConnections) =>
            _connections = defaultConnections is { } connections
                ? new Option<int>("--connections", "-c")
                {
                    Description = $"connections (default {connections})",
                    DefaultValueFactory = _ => connections,
                }
                : null;

        public void AddTo(Command command)
        {
            foreach (var option in new Option?[] { _host, _port, _servers, _transport, _connections, _duration, _warmup, _serverPid, _redisPid, _minRate, _maxP99 })
            {
                if (option is not null)
                {
                    command.Options.Add(option);
                }
            }
        }

        /// <summary>The settings, and in <paramref name="problems"/> every option that is out of range.</summary>
        public RunSettings Read(ParseResult parse, out List<string> problems)
        {
            problems = [];
            var servers = ServerList.Parse(parse.GetValue(_servers) ?? [], parse.GetValue(_host), parse.GetValue(_port), problems);
            var transport = TransportNames.TryParse(parse.GetValue(_transport));
            if (transport is null)
            {
                problems.Add("--transport must be tcp, ws or resp");
            }

            var connections = _connections is null ? 1 : parse.GetValue(_connections);
            if (connections is < 1 or > MaxConnections)
            {
                problems.Add($"--connections must be between 1 and {MaxConnections}");
            }

            if (parse.GetValue(_duration) is <= 0 or > MaxSeconds || parse.GetValue(_warmup) is < 0 or > MaxSeconds)
            {
                problems.Add($"--duration and --warmup must be between 0 and {MaxSeconds} seconds");
            }

            var pids = ServerList.ParsePids(parse.GetValue(_serverPid) ?? [], "--server-pid", problems);
            if (pids.Count > 1 && pids.Count != servers.Count)
            {
                problems.Add("--server-pid: give one process id, or one for each server in the order of --servers");
            }

            if (parse.GetValue(_redisPid) is <= 0)
            {
                problems.Add("--redis-pid must be a process id");
            }

            return new RunSettings(
                servers,
                connections,
                TimeSpan.FromSeconds(parse.GetValue(_warmup)),
                TimeSpan.FromSeconds(parse.GetValue(_duration)),
                pids,
                parse.GetValue(_minRate),
                parse.GetValue(_maxP99),
                transport ?? TransportKind.Tcp,
                parse.GetValue(_redisPid));
        }
    }
}
