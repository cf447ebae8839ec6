namespace Chat.LoadGen.Soak;

/// <summary>
/// The soak's own count of connected users, as two bounds, and the check of the operator's
/// <c>num.users</c> against them. The server counts a user from its accepted handshake until its
/// connection is gone (PROTOCOL.md, "Conversation" 7), so: the low bound counts clients that hold a
/// handshake and have not begun to leave; the high bound counts every client from before it connects
/// until the server has closed its side (the server unregisters a user before it closes the socket).
/// A poll opens a window; the server's answer must lie between the lowest low and highest high seen
/// while the window was open.
/// </summary>
internal sealed class UserCountBounds
{
    private readonly Lock _lock = new();
    private int _low;
    private int _high;
    private int _windowLow;
    private int _windowHigh;

    public int Low
    {
        get
        {
            lock (_lock)
            {
                return _low;
            }
        }
    }

    /// <summary>Before a connection is opened.</summary>
    public void Connecting() => Change(0, +1);

    /// <summary>Once its handshake is in hand.</summary>
    public void Joined() => Change(+1, 0);

    /// <summary>A connection that never got an accepted handshake is gone.</summary>
    public void NeverJoined() => Change(0, -1);

    /// <summary>A joined client begins to leave (or finds itself disconnected).</summary>
    public void Leaving() => Change(-1, 0);

    /// <summary>The server has closed a client's connection.</summary>
    public void Gone() => Change(0, -1);

    /// <summary>Starts a poll: the window holds the bounds as they are now.</summary>
    public void OpenWindow()
    {
        lock (_lock)
        {
            _windowLow = _low;
            _windowHigh = _high;
        }
    }

    /// <summary>Ends a poll: checks the server's count against the window. Returns null when it lies inside, else what is wrong.</summary>
    public string? CloseWindow(long reported, string command)
    {
        int low;
        int high;
        lock (_lock)
        {
            low = _windowLow;
            high = _windowHigh;
        }

        return reported >= low && reported <= high
            ? null
            : $"{command} said {reported} users while the soak had between {low} and {high} connected";
    }

    private void Change(int low, int high)
    {
        lock (_lock)
        {
            _low += low;
            _high += high;
            _windowLow = Math.Min(_windowLow, _low);
            _windowHigh = Math.Max(_windowHigh, _high);
        }
    }
}
