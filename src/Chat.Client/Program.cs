using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net.Sockets;
using System.Security.Authentication;
using Chat.Protocol;

namespace Chat.Client.Console;

internal static class Program
{
    // How long, after the last line, the client waits for the echoes it is owed before it gives up.
    private static readonly TimeSpan EchoWait = TimeSpan.FromSeconds(10);

    public static async Task<int> Main(string[] args)
    {
        var host = new Option<string>("--host") { Description = "server address (default 127.0.0.1)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "server port (default 7777)", DefaultValueFactory = _ => 7777 };
        var connectTimeout = new Option<int>("--connect-timeout")
        {
            Description = "seconds to wait for the connection and the server's handshake (default 10)",
            DefaultValueFactory = _ => 10,
        };
        var tls = new Option<bool>("--tls") { Description = "connect with TLS; the server's certificate must be trusted by the system" };
        var tlsCa = new Option<string?>("--tls-ca") { Description = "PEM file of the authority to trust instead of the system's (a private CA); implies --tls" };
        var tlsInsecure = new Option<bool>("--tls-insecure")
        {
            Description = "connect with TLS but accept any certificate (a self-signed test server); warns, implies --tls",
        };
        host.Validators.Add(result => Require(result, !string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()), "--host must not be empty"));
        port.Validators.Add(result => Require(result, result.GetValueOrDefault<int>() is >= 1 and <= 65535, "--port must be from 1 to 65535"));
        connectTimeout.Validators.Add(result =>
            Require(result, result.GetValueOrDefault<int>() is >= 1 and <= 3600, "--connect-timeout must be from 1 to 3600 seconds"));
        var root = new RootCommand(
            "Chat client. Type a line to send it to everyone, '@ID text' to send to one user, '/quit' to leave. " +
            "With input piped in, it sends every line and exits once their echoes arrived.")
        {
            host, port, connectTimeout, tls, tlsCa, tlsInsecure,
        };
        root.SetAction(async (parse, cancellationToken) =>
        {
            if (ConsoleTls.CreateOptions(parse.GetValue(tls), parse.GetValue(tlsCa), parse.GetValue(tlsInsecure), TimeSpan.FromSeconds(parse.GetValue(connectTimeout)))
                is not { } options)
            {
                return ExitCodes.Usage;
            }

            return await RunAsync(parse.GetValue(host)!, parse.GetValue(port), options, cancellationToken);
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // The parser's own handling would print the whole help and exit 1, which means "refused" here.
            foreach (var error in parsed.Errors)
            {
                await System.Console.Error.WriteLineAsync(error.Message);
            }

            await System.Console.Error.WriteLineAsync(
                "usage: chat-client [--host HOST] [--port PORT] [--connect-timeout SECONDS] [--tls] [--tls-ca PATH] [--tls-insecure] (--help says more)");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync();
    }

    private static void Require(OptionResult result, bool valid, string error)
    {
        if (!valid)
        {
            result.AddError(error);
        }
    }

    private static async Task<int> RunAsync(string host, int port, ChatClientOptions options, CancellationToken cancellationToken)
    {
        var connecting = await ConnectAsync(host, port, options, cancellationToken);
        if (connecting.Client is not { } client)
        {
            await System.Console.Error.WriteLineAsync(connecting.Error);
            return connecting.ExitCode;
        }

        System.Console.WriteLine($"connected as user {client.Id}");
        var session = new ConsoleSession(client, System.Console.Out, System.Console.Error);
        var receiving = session.ReceiveAsync(cancellationToken);
        var sent = await session.SendLinesAsync(System.Console.In, cancellationToken);
        var complete = await session.WaitForEchoesAsync(sent, EchoWait, receiving);
        var endedFirst = receiving.IsCompleted;
        session.Leave();
        await client.DisposeAsync();
        await receiving;
        if (session.Failed)
        {
            // It has said why, on its one line.
            return ExitCodes.ConnectionProblem;
        }

        if (!complete)
        {
            var why = endedFirst ? "the connection ended" : $"not within {EchoWait.TotalSeconds:0.###} s";
            await System.Console.Error.WriteLineAsync($"{sent - session.Echoes} of {sent} messages sent were not echoed: {why}");
            return ExitCodes.ConnectionProblem;
        }

        return ExitCodes.Ok;
    }

    // Every way the connection can fail before there is a conversation, as one line and an exit code.
    private static async Task<(ChatClient? Client, int ExitCode, string Error)> ConnectAsync(
        string host, int port, ChatClientOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return (await ChatClient.ConnectAsync(host, port, options, cancellationToken), ExitCodes.Ok, string.Empty);
        }
        catch (ChatRefusedException refused)
        {
            return (null, ExitCodes.Refused, $"refused: {TerminalText.Escape(refused.Reason)} ({refused.Refusal})");
        }
        catch (SocketException exception)
        {
            return (null, ExitCodes.ConnectionProblem, $"cannot connect to {host}:{port}: {exception.Message}");
        }
        catch (AuthenticationException exception)
        {
            return (null, ExitCodes.ConnectionProblem, $"TLS failed with {host}:{port}: {exception.Message}");
        }
        catch (TimeoutException exception)
        {
            return (null, ExitCodes.ConnectionProblem, exception.Message);
        }
        catch (ProtocolViolationException exception)
        {
            return (null, ExitCodes.ConnectionProblem, $"protocol error: {exception.Message}");
        }
        catch (IOException exception)
        {
            return (null, ExitCodes.ConnectionProblem, $"connection lost before the handshake: {exception.Message}");
        }
    }
}
