using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Chat.Server.Transport;

/// <summary>Gives Kestrel's transports <see cref="LargeBlockMemoryPool"/>s in place of its own pools.</summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
