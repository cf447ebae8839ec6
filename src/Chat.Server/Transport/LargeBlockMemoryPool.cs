using System.Buffers;
using System.Collections.Concurrent;

namespace Chat.Server.Transport;

/// <summary>
/// The memory Kestrel's sockets read into and write from, in 32 KiB blocks instead of its own 4 KiB
/// ones. A socket receive fills at most one block, so with 4 KiB a client's pipelined burst of 1 KB
/// messages took four or more receives and its echoes a scattered send; with 32 KiB it takes one
/// each (docs/BENCHMARKS.md, "Large receive blocks": 1 KB messages went from 0.38x Redis's rate to
/// about its rate). An idle connection holds no block (Kestrel waits for data before it asks for
/// one), so idle memory is unchanged; a busy one holds a block while bytes are in it.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    /// <summary>The size of every block.</summary>
    public const int BlockSize = 32 * 1024;

    // Blocks given back are kept for reuse up to this many (8 MiB); beyond it they are left to the
    // collector, so a burst of busy connections does not pin its peak for good.
    private const int MaxFreeBlocks = 256;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;

    public override int MaxBufferSize => BlockSize;

    /// <summary>How many returned blocks wait for reuse now.</summary>
    public int FreeBlocks => Volatile.Read(ref _freeCount);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            return block;
        }

        return new Block(this);
    }

    protected override void Dispose(bool disposing)
    {
        _free.Clear();
        Volatile.Write(ref _freeCount, 0);
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _freeCount) > MaxFreeBlocks)
        {
            Interlocked.Decrement(ref _freeCount);
            return;
        }

        _free.Enqueue(block);
    }

    // Pinned, as Kestrel's own blocks are: a socket operation on them needs no pinning of its own.
    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public void Dispose() => pool.Return(this);
    }
}
