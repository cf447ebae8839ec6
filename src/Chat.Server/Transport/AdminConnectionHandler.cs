using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Chat.Protocol;
using Chat.Server.Admin;
using Chat.Server.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace Chat.Server.Transport;

/// <summary>
/// The admin socket's door: reads command lines (<see cref="AdminProtocol"/>), runs each through
/// the one <see cref="CommandDispatcher"/>, and writes the reply and its terminator. It reaches the
/// hub only through the commands and never touches a chat connection.
/// </summary>
internal sealed partial class AdminConnectionHandler : ConnectionHandler
{
    private readonly CommandDispatcher _dispatcher;
    private readonly ILogger<AdminConnectionHandler> _logger;

    public AdminConnectionHandler(CommandDispatcher dispatcher, ILogger<AdminConnectionHandler> logger)
    {
        _dispatcher = dispatcher;
        _logger = logger;
    }

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        LogOpened(_logger, connection.ConnectionId);
        // When the host stops, Kestrel asks each connection to close; an idle console then ends at once.
        var closeRequested = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? default;
        using var stopping = closeRequested.Register(static state => ((PipeReader)state!).CancelPendingRead(), input);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                if (result.IsCanceled)
                {
                    break;
                }

                string? refusal = null;
                try
                {
                    while (AdminLineReader.TryReadLine(ref buffer, out var line))
                    {
                        Answer(line, output);
                    }
                }
                catch (ProtocolViolationException tooLong)
                {
                    refusal = tooLong.Message;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (refusal is not null)
                {
                    output.Write(Encoding.UTF8.GetBytes($"{refusal}\n{AdminProtocol.Failure}\n"));
                    await output.FlushAsync();
                    break;
                }

                var flush = await output.FlushAsync();
                if (result.IsCompleted || flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (ConnectionErrors.IsNormalEnd(exception))
        {
            // The console went away mid-reply; nothing was left half-done on the server.
        }

        LogClosed(_logger, connection.ConnectionId);
    }

    private void Answer(string line, PipeWriter output)
    {
        LogCommand(_logger, line);
        using var reply = new StringWriter();
        var succeeded = _dispatcher.Execute(line, reply);
        var text = reply.ToString().Replace("\0", string.Empty, StringComparison.Ordinal);
        output.Write(Encoding.UTF8.GetBytes($"{text}{(succeeded ? AdminProtocol.Success : AdminProtocol.Failure)}\n"));
    }

    [LoggerMessage(410, LogLevel.Debug, "Admin console {ConnectionId} connected", EventName = "AdminConnected")]
    private static partial void LogOpened(ILogger logger, string connectionId);

    [LoggerMessage(411, LogLevel.Debug, "Admin console {ConnectionId} disconnected", EventName = "AdminDisconnected")]
    private static partial void LogClosed(ILogger logger, string connectionId);

    [LoggerMessage(412, LogLevel.Debug, "Admin command: {CommandLine}", EventName = "AdminCommand")]
    private static partial void LogCommand(ILogger logger, string commandLine);
}
