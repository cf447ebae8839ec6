using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Chat.Server.Transport.Lean;

/// <summary>
/// Arguments for a send that has to wait for the socket, borrowed from one shared pool for that
/// send only: most flushes go out at once and need none, and an idle connection holds none.
/// </summary>
internal sealed class LeanSendArgs : SocketAsyncEventArgs
{
    // Enough for the sends that wait at one time on a busy server; past it, extras are left to the collector.
    private const int MaxPooled = 1024;

    private static readonly ConcurrentQueue<LeanSendArgs> Pool = new();
    private static int s_pooled;

    private LeanSocketWriter? _writer;

    private LeanSendArgs()
        : base(unsafeSuppressExecutionContextFlow: true)
    {
    }

    public static LeanSendArgs Rent(LeanSocketWriter writer)
    {
        if (Pool.TryDequeue(out var args))
        {
            Interlocked.Decrement(ref s_pooled);
        }
        else
        {
            args = new LeanSendArgs();
        }

        args._writer = writer;
        return args;
    }

    public static void Return(LeanSendArgs args)
    {
        args._writer = null;
        args.SetBuffer(null, 0, 0);
        if (Interlocked.Increment(ref s_pooled) <= MaxPooled)
        {
            Pool.Enqueue(args);
        }
        else
        {
            Interlocked.Decrement(ref s_pooled);
            args.Dispose();
        }
    }

    protected override void OnCompleted(SocketAsyncEventArgs e) => _writer!.OnSendCompleted(this);
}
