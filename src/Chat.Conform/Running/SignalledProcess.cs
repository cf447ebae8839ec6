using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Chat.Conform.Running;

/// <summary>
/// A server process named by its id (--server-pid): stopped with SIGTERM, watched until it is gone.
/// It is not our child, so its exit code cannot be seen; only that it ended.
/// </summary>
internal sealed class SignalledProcess : IServerProcess
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly int _processId;

    public SignalledProcess(int processId) => _processId = processId;

    public async Task RequestStopAsync(CancellationToken cancellationToken)
    {
        if (!IsRunning())
        {
            throw new CheckFailedException($"there is no process {_processId} to stop (--server-pid)");
        }

        try
        {
            using var kill = Process.Start("kill", ["-TERM", _processId.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync(cancellationToken);
            if (kill.ExitCode != 0)
            {
                throw new CheckFailedException($"could not send SIGTERM to process {_processId} (kill exited with {kill.ExitCode})");
            }
        }
        catch (Win32Exception exception)
        {
            throw new CheckSkippedException($"cannot send SIGTERM here ({exception.Message})");
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Not our child: nothing signals its end to us, so look at it a few times a second.
        using var timer = new PeriodicTimer(PollInterval);
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (IsRunning())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await timer.WaitForNextTickAsync(cancellationToken);
        }

        return true;
    }

    private bool IsRunning()
    {
        // An ended process not yet reaped by its parent (a zombie) has ended as far as we are concerned.
        var status = $"/proc/{_processId}/stat";
        if (File.Exists(status))
        {
            try
            {
                var text = File.ReadAllText(status);
                var state = text.LastIndexOf(')') is var end and > 0 && end + 2 < text.Length ? text[end + 2] : 'R';
                return state is not ('Z' or 'X');
            }
            catch (IOException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(_processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
