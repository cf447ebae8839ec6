using StackExchange.Redis;

namespace Chat.Cluster.Redis;

public sealed partial class RedisClusterNode
{
    public void Joined(ClusterUser user) => Announce(user, user.Id);

    public void Left(long id) => Announce(null, id);

    // Queued, never awaited. While unlinked nothing is sent: the resync republishes everyone.
    private void Announce(ClusterUser? joined, long id)
    {
        if (!_linked || _redis is not { } redis)
        {
            return;
        }

        lock (_announceGate)
        {
            try
            {
                var database = redis.GetDatabase();
                string presence;
                if (joined is not null)
                {
                    database.HashSet(_keys.OwnUsers, id, joined.FormatDetails(), flags: CommandFlags.FireAndForget);
                    presence = PresenceEvent.FormatUsers(_settings.NodeName, [joined]);
                }
                else
                {
                    database.HashDelete(_keys.OwnUsers, id, CommandFlags.FireAndForget);
                    presence = PresenceEvent.FormatLeave(_settings.NodeName, id);
                }

                redis.GetSubscriber().Publish(_keys.Presence, presence, CommandFlags.FireAndForget);
            }
            catch (RedisException)
            {
                // The link just went down; the resync that follows republishes every local user.
            }
        }
    }
}
