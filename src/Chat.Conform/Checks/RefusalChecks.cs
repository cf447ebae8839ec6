using System.Globalization;
using Chat.Conform.Running;
using Chat.Conform.Wire;
using Chat.Protocol;

namespace Chat.Conform.Checks;

/// <summary>
/// A full server refuses newcomers with error = true and a code, then closes; a refused client never
/// counts (PROTOCOL.md §4, Refusal codes). These need --max-users K, the limit the server runs with.
/// </summary>
internal static class RefusalChecks
{
    private const string NeedsMaxUsers = "needs --max-users K (the user limit the server was started with), so that it can " +
        "fill the server and see a newcomer refused";

    // Users of the checks before may take a moment to be gone from the server's count.
    private static readonly TimeSpan LeaveAllowance = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

    public static IEnumerable<ConformanceCheck> All()
    {
        yield return new ConformanceCheck("refusal", CheckLevel.Assignment, ProtocolSections.HandshakeMessage,
            "with K users connected (--max-users K), a newcomer gets a Handshake with error = true, then the server closes it",
            RefusalAsync)
        {
            Needs = ["handshake-first"],
        };
        yield return new ConformanceCheck("refusal-code", CheckLevel.Contract, ProtocolSections.RefusalCodes,
            "the refusal of a full server has id = 0, a reason in words and refusal = SERVER_FULL", RefusalCodeAsync)
        {
            Needs = ["refusal"],
        };
        yield return new ConformanceCheck("refused-not-counted", CheckLevel.Contract, ProtocolSections.Conversation,
            "refused clients never count as users: once one user leaves a full server, a newcomer is accepted", RefusedNotCountedAsync)
        {
            Needs = ["refusal"],
        };
    }

    private static async Task RefusalAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var limit = (await FillAsync(context, cancellationToken)).Count;
        var newcomer = await context.ConnectAsync("the newcomer", cancellationToken);
        var handshake = await newcomer.ReadHandshakeAsync(cancellationToken);
        if (!handshake.Error)
        {
            throw new CheckFailedException(string.Create(CultureInfo.InvariantCulture,
                $"with {limit} users connected (--max-users {limit}), a newcomer was accepted with {MessageText.Describe(handshake)}; ") +
                "a full server refuses it with error = true (and closes). Is the server running with that limit?");
        }

        var before = new List<byte[]>();
        if (!await newcomer.WaitForCloseAsync(context.Timeout, before, cancellationToken))
        {
            throw new CheckFailedException($"the server refused a newcomer ({MessageText.Describe(handshake)}) but after " +
                $"{ServerConnection.Seconds(context.Timeout)} its connection was still open; after a refusal the server closes it");
        }
    }

    private static async Task RefusalCodeAsync(CheckContext context, CancellationToken cancellationToken)
    {
        await FillAsync(context, cancellationToken);
        var newcomer = await context.ConnectAsync("the newcomer", cancellationToken);
        var handshake = await newcomer.ReadHandshakeAsync(cancellationToken);
        var said = MessageText.Describe(handshake);
        if (!handshake.Error)
        {
            throw new CheckFailedException($"a newcomer to the full server was accepted ({said})");
        }

        if (handshake.Id != 0)
        {
            throw new CheckFailedException($"the refusal {said} carries id {handshake.Id}; a refused client gets id = 0");
        }

        if (string.IsNullOrWhiteSpace(handshake.Reason))
        {
            throw new CheckFailedException($"the refusal {said} has an empty reason; reason says why in plain words");
        }

        if (handshake.Refusal != Refusal.ServerFull)
        {
            throw new CheckFailedException($"the refusal {said} names {handshake.Refusal}; a server refused for holding its " +
                "maximum of users says refusal = SERVER_FULL (1)");
        }
    }

    private static async Task RefusedNotCountedAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var users = await FillAsync(context, cancellationToken);
        var limit = users.Count;
        for (var index = 1; index <= 2; index++)
        {
            var turnedAway = await context.ConnectAsync(string.Create(CultureInfo.InvariantCulture, $"refused newcomer {index}"), cancellationToken);
            if (!(await turnedAway.ReadHandshakeAsync(cancellationToken)).Error)
            {
                throw new CheckFailedException(string.Create(CultureInfo.InvariantCulture,
                    $"with {limit} users connected (--max-users {limit}), a newcomer was accepted"));
            }

            await turnedAway.DisposeAsync();
        }

        await users[0].DisposeAsync();
        var (_, refusal) = await TryJoinWithinAsync(context, "the last newcomer", LeaveAllowance, cancellationToken);
        if (refusal is null)
        {
            return;
        }

        throw new CheckFailedException(string.Create(CultureInfo.InvariantCulture,
            $"the server was full ({limit} users); 2 newcomers were refused, then one user left. For {LeaveAllowance.TotalSeconds:0} s " +
            $"after that, newcomers were still refused ({MessageText.Describe(refusal)}); a refused client never counts as a user, " +
            $"and a user counts only until its connection is gone"));
    }

    // Connects users until the server holds --max-users of them; returns them.
    private static async Task<List<ServerConnection>> FillAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var limit = context.Settings.MaxUsers ?? throw new CheckSkippedException(NeedsMaxUsers);
        var users = new List<ServerConnection>();
        for (var index = 1; index <= limit; index++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"user {index}");
            var (user, refusal) = await TryJoinWithinAsync(context, name, LeaveAllowance, cancellationToken);
            if (user is null)
            {
                throw new CheckFailedException(string.Create(CultureInfo.InvariantCulture,
                    $"only {index - 1} users could connect before the server refused ({MessageText.Describe(refusal!)}), but " +
                    $"--max-users says {limit}; give --max-users the limit the server runs with"));
            }

            users.Add(user);
        }

        return users;
    }

    // Joins, retrying refusals until the allowance is over (earlier users may still be leaving):
    // the accepted user, or the last refusal.
    private static async Task<(ServerConnection? User, Handshake? Refusal)> TryJoinWithinAsync(CheckContext context, string name, TimeSpan allowance, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + allowance;
        while (true)
        {
            var connection = await context.ConnectAsync(name, cancellationToken);
            var handshake = await connection.ReadHandshakeAsync(cancellationToken);
            if (!handshake.Error)
            {
                connection.Id = handshake.Id;
                return (connection, null);
            }

            await connection.DisposeAsync();
            if (DateTime.UtcNow > deadline)
            {
                return (null, handshake);
            }

            await Task.Delay(RetryPause, cancellationToken);
        }
    }
}
