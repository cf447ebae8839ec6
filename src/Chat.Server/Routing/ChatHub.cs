using Chat.Protocol;
using Chat.Server.Sessions;
using Microsoft.Extensions.Options;

namespace Chat.Server.Routing;

/// <summary>
/// The server's shared state: who is connected, who may join, and where messages go. Sessions reach
/// it through <see cref="ISessionHub"/>; the operator's commands call it directly.
/// </summary>
internal sealed class ChatHub : ISessionHub
{
    private readonly MessageRouter _router;
    private readonly TaskCompletionSource _drainStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _maxUsers;

    public ChatHub(IOptions<ChatServerOptions> options, TimeProvider timeProvider)
    {
        Registry = new ConnectionRegistry();
        _router = new MessageRouter(Registry);
        _maxUsers = options.Value.MaxUsers;
        TimeProvider = timeProvider;
        StartedAt = timeProvider.GetUtcNow();
    }

    public ConnectionRegistry Registry { get; }

    public TimeProvider TimeProvider { get; }

    public DateTimeOffset StartedAt { get; }

    public int MaxUsers
    {
        get => Volatile.Read(ref _maxUsers);
        set => Volatile.Write(ref _maxUsers, value);
    }

    /// <summary>True once a graceful shutdown began: newcomers are refused from then on.</summary>
    public bool IsDraining => _drainStarted.Task.IsCompleted;

    public Admission Admit(ChatSession session)
    {
        if (IsDraining)
        {
            return Admission.Refuse(Refusal.ShuttingDown, "the server is shutting down");
        }

        var maxUsers = MaxUsers;
        return Registry.TryReserve(maxUsers, out var id)
            ? Admission.Accept(id)
            : Admission.Refuse(Refusal.ServerFull, $"the server is full ({maxUsers} users)", retryAfterMs: 1000);
    }

    public void Join(ChatSession session) => Registry.Add(session);

    public void Route(ChatSession sender, ChatMessage message) => _router.Route(sender, message);

    public void Leave(ChatSession session) => Registry.Remove(session);

    /// <summary>Sends a notice from 0 to every connected user; returns how many it reached.</summary>
    public int Announce(string text) => _router.Announce(text);

    /// <summary>Refuses newcomers from now on; false if a drain had already begun.</summary>
    public bool BeginDrain() => _drainStarted.TrySetResult();

    /// <summary>Completes once exactly <paramref name="count"/> users are connected.</summary>
    public async Task WhenUserCountAsync(int count, CancellationToken cancellationToken)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnCountChanged(int now)
        {
            if (now == count)
            {
                reached.TrySetResult();
            }
        }

        Registry.CountChanged += OnCountChanged;
        try
        {
            if (Registry.Count == count)
            {
                return;
            }

            await reached.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Registry.CountChanged -= OnCountChanged;
        }
    }

    /// <summary>Closes every connected user gracefully, with a notice from 0 when one is given.</summary>
    public void CloseAll(DisconnectReason reason, string? notice)
    {
        foreach (var session in Registry.Sessions)
        {
            session.Close(reason, notice);
        }
    }
}
