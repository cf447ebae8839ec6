using Chat.Conform.Running;

namespace Chat.Conform.Checks;

/// <summary>The handshake: sent first and unasked, with an id that belongs to one connection only (PROTOCOL.md §4).</summary>
internal static class HandshakeChecks
{
    public static IEnumerable<ConformanceCheck> All()
    {
        yield return new ConformanceCheck("handshake-first", CheckLevel.Assignment, ProtocolSections.Conversation,
            "on connect, before the client sends anything, the server sends a Handshake with error = false and an id > 0",
            HandshakeFirstAsync);
        yield return new ConformanceCheck("ids-differ", CheckLevel.Assignment, ProtocolSections.Conversation,
            "three connections open at once get three different ids", IdsDifferAsync)
        {
            Needs = ["handshake-first"],
        };
        yield return new ConformanceCheck("ids-not-reused", CheckLevel.Contract, ProtocolSections.Conversation,
            "the id of a user who left is not given to a newcomer while the server runs", IdsNotReusedAsync)
        {
            Needs = ["handshake-first", "echo"],
        };
    }

    private static async Task HandshakeFirstAsync(CheckContext context, CancellationToken cancellationToken) =>
        await context.JoinAsync("user A", cancellationToken);

    private static async Task IdsDifferAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var users = new[]
        {
            await context.JoinAsync("user A", cancellationToken),
            await context.JoinAsync("user B", cancellationToken),
            await context.JoinAsync("user C", cancellationToken),
        };
        foreach (var user in users)
        {
            var twin = users.FirstOrDefault(other => other != user && other.Id == user.Id);
            if (twin is not null)
            {
                throw new CheckFailedException($"{user.Name} and {twin.Name} were both given id {user.Id} while both were " +
                    "connected; every connection gets its own id");
            }
        }
    }

    private static async Task IdsNotReusedAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var leaver = await context.JoinAsync("user A", cancellationToken);
        var stayer = await context.JoinAsync("user B", cancellationToken);
        var seen = new Dictionary<long, string> { [leaver.Id] = leaver.Name, [stayer.Id] = stayer.Name };
        await leaver.DisposeAsync();

        // A round trip gives the server time to see user A go; then newcomers arrive one by one.
        await stayer.BarrierAsync(cancellationToken);
        foreach (var name in new[] { "user C", "user D", "user E" })
        {
            var newcomer = await context.JoinAsync(name, cancellationToken);
            if (seen.TryGetValue(newcomer.Id, out var owner))
            {
                throw new CheckFailedException($"{name} was given id {newcomer.Id}, the id {owner} had" +
                    (owner == leaver.Name ? " before it left" : "") + "; ids are never reused while the server runs");
            }

            seen[newcomer.Id] = name;
        }
    }
}
