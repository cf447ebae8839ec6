using System.CommandLine;

namespace Chat.Client.Console;

internal static class Program
{
    // How long, after the last line, the client waits for the echoes it is owed before it gives up.
    private static readonly TimeSpan EchoWait = TimeSpan.FromSeconds(10);

    public static async Task<int> Main(string[] args)
    {
        var host = new Option<string>("--host") { Description = "server address (default 127.0.0.1)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "server port (default 7777)", DefaultValueFactory = _ => 7777 };
        var root = new RootCommand(
            "Chat client. Type a line to send it to everyone, '@ID text' to send to one user, '/quit' to leave. " +
            "With input piped in, it sends every line and exits once their echoes arrived.")
        {
            host, port,
        };
        root.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(host)!, parse.GetValue(port), cancellationToken));
        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> RunAsync(string host, int port, CancellationToken cancellationToken)
    {
        ChatClient client;
        try
        {
            client = await ChatClient.ConnectAsync(host, port, cancellationToken: cancellationToken);
        }
        catch (ChatRefusedException refused)
        {
            await System.Console.Error.WriteLineAsync($"refused: {TerminalText.Escape(refused.Reason)} ({refused.Refusal})");
            return 1;
        }
        catch (System.Net.Sockets.SocketException exception)
        {
            await System.Console.Error.WriteLineAsync($"cannot connect to {host}:{port}: {exception.Message}");
            return 1;
        }

        System.Console.WriteLine($"connected as user {client.Id}");
        var session = new ConsoleSession(client, System.Console.Out);
        var receiving = session.ReceiveAsync(cancellationToken);
        var sent = await session.SendLinesAsync(System.Console.In, System.Console.Error, cancellationToken);
        var complete = await session.WaitForEchoesAsync(sent, EchoWait, receiving);
        session.Leave();
        await client.DisposeAsync();
        await receiving;
        return complete ? 0 : 1;
    }
}
