using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Chat.Protocol;
using Chat.Server.Admin;

namespace Chat.Server.Transport;

internal sealed partial class AdminSession
{
    // One command at a time: only its line is taken off the input, and the next is read once its
    // reply was flushed. So a console that does not read its replies stops being read from, and the
    // server holds at most one reply beyond what the output pipe and the socket hold. The idle
    // clock starts at the connect and anew at each command, before its reply goes out.
    private async Task ServeAsync()
    {
        var input = _connection.Transport.Input;
        var output = _connection.Transport.Output;
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        RestartIdleClock(idle);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (idle.IsCancellationRequested)
            {
                LogIdle(_logger, _connection.ConnectionId, _idleTimeout.TotalSeconds);
                return;
            }

            if (result.IsCanceled)
            {
                // The server is stopping.
                return;
            }

            var buffer = result.Buffer;
            string? line;
            try
            {
                line = AdminLineReader.TryReadLine(ref buffer, out var next) ? next : null;
            }
            catch (ProtocolViolationException tooLong)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                await WriteFailureAsync(tooLong.Message);
                return;
            }

            if (line is null)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }

                continue;
            }

            input.AdvanceTo(buffer.Start);
            RestartIdleClock(idle);
            Answer(line, output);
            if (!await FlushAsync(output))
            {
                return;
            }
        }
    }

    private void RestartIdleClock(CancellationTokenSource idle)
    {
        if (_idleTimeout > TimeSpan.Zero)
        {
            idle.CancelAfter(_idleTimeout);
        }
    }

    private void Answer(string line, PipeWriter output)
    {
        LogCommand(_logger, line);
        using var reply = new StringWriter();
        var succeeded = _dispatcher.Execute(line, reply);
        var text = reply.ToString().Replace("\0", string.Empty, StringComparison.Ordinal);
        output.Write(Encoding.UTF8.GetBytes($"{text}{(succeeded ? AdminProtocol.Success : AdminProtocol.Failure)}\n"));
    }

    // One reply that is only an error, as a failed command's would be.
    private async Task WriteFailureAsync(string error)
    {
        var output = _connection.Transport.Output;
        output.Write(Encoding.UTF8.GetBytes($"{error}\n{AdminProtocol.Failure}\n"));
        await FlushAsync(output);
    }

    // Waits, at most WriteTimeout (then TimeoutException), until the console has taken enough of
    // what was written; false when the connection is gone.
    private async Task<bool> FlushAsync(PipeWriter output)
    {
        var flush = output.FlushAsync();
        var result = flush.IsCompletedSuccessfully ? flush.Result : await flush.AsTask().WaitAsync(WriteTimeout, _timeProvider);
        return !result.IsCompleted && !result.IsCanceled;
    }
}
