using System.Collections.Concurrent;
using System.Net;

namespace Chat.Server.Routing;

/// <summary>Counts connected users per remote address, for <c>MaxConnectionsPerAddress</c>.</summary>
internal sealed class AddressLimiter
{
    private readonly ConcurrentDictionary<IPAddress, int> _counts = new();

    /// <summary>Counts one more user from <paramref name="address"/> unless it already holds <paramref name="max"/>.</summary>
    public bool TryAcquire(IPAddress address, int max)
    {
        while (true)
        {
            if (!_counts.TryGetValue(address, out var count))
            {
                if (_counts.TryAdd(address, 1))
                {
                    return true;
                }

                continue;
            }

            if (count >= max)
            {
                return false;
            }

            if (_counts.TryUpdate(address, count + 1, count))
            {
                return true;
            }
        }
    }

    public void Release(IPAddress address)
    {
        while (_counts.TryGetValue(address, out var count))
        {
            // The last one out removes the entry, so addresses seen once do not pile up.
            var released = count <= 1
                ? _counts.TryRemove(new KeyValuePair<IPAddress, int>(address, count))
                : _counts.TryUpdate(address, count - 1, count);
            if (released)
            {
                return;
            }
        }
    }

    public int CountFor(IPAddress address) => _counts.TryGetValue(address, out var count) ? count : 0;
}
