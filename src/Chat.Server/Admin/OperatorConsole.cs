using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chat.Server.Admin;

/// <summary>
/// The operator's thread (exercise 1): one dedicated, named background thread that reads commands
/// from standard input while the server serves. When input ends (a service manager, a detached
/// container) the thread ends quietly and the server goes on.
/// </summary>
internal sealed partial class OperatorConsole : IHostedService
{
    private readonly CommandDispatcher _dispatcher;
    private readonly TextReader _input;
    private readonly TextWriter _output;
    private readonly ILogger<OperatorConsole> _logger;
    private Thread? _thread;

    public OperatorConsole(CommandDispatcher dispatcher, ILogger<OperatorConsole> logger)
        : this(dispatcher, Console.In, Console.Out, logger)
    {
    }

    public OperatorConsole(CommandDispatcher dispatcher, TextReader input, TextWriter output, ILogger<OperatorConsole> logger)
    {
        _dispatcher = dispatcher;
        _input = input;
        _output = output;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A background thread: a blocking ReadLine must never keep the process alive after shutdown.
        _thread = new Thread(Run) { Name = "operator-console", IsBackground = true };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Run()
    {
        try
        {
            while (_input.ReadLine() is { } line)
            {
                // The whole reply in one write: a log line (on standard error, sharing the terminal)
                // can come between two replies but never inside one.
                using var reply = new StringWriter();
                _dispatcher.Execute(line, reply);
                _output.Write(reply.ToString());
                _output.Flush();
            }

            LogInputEnded(_logger);
        }
        catch (IOException exception)
        {
            LogInputFailed(_logger, exception);
        }
    }

    [LoggerMessage(400, LogLevel.Debug, "Operator input ended; the server keeps serving", EventName = "OperatorInputEnded")]
    private static partial void LogInputEnded(ILogger logger);

    [LoggerMessage(401, LogLevel.Warning, "Operator input failed; the console stops, the server keeps serving", EventName = "OperatorInputFailed")]
    private static partial void LogInputFailed(ILogger logger, Exception exception);
}
