using System.Collections.Concurrent;
using System.IO.Pipelines;

namespace Chat.Server.Tests;

/// <summary>A pipe writer that logs its name at every flush, into a log shared by several writers.</summary>
internal sealed class RecordingWriter(PipeWriter inner, string name, ConcurrentQueue<string> flushes) : PipeWriter
{
    public override void Advance(int bytes) => inner.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        flushes.Enqueue(name);
        return inner.FlushAsync(cancellationToken);
    }
}
