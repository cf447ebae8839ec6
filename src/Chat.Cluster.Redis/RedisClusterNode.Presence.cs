using StackExchange.Redis;

namespace Chat.Cluster.Redis;

public sealed partial class RedisClusterNode
{
    public void Joined(long id) => AnnounceOne(PresenceEvent.Join, id);

    public void Left(long id) => AnnounceOne(PresenceEvent.Leave, id);

    // Queued, never awaited. While unlinked nothing is sent: the resync republishes everyone.
    private void AnnounceOne(string kind, long id)
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
                if (kind == PresenceEvent.Join)
                {
                    database.SetAdd(_keys.OwnUsers, id, CommandFlags.FireAndForget);
                }
                else
                {
                    database.SetRemove(_keys.OwnUsers, id, CommandFlags.FireAndForget);
                }

                redis.GetSubscriber().Publish(_keys.Presence, PresenceEvent.FormatIds(kind, _settings.NodeName, [id]), CommandFlags.FireAndForget);
            }
            catch (RedisException)
            {
                // The link just went down; the resync that follows republishes every local user.
            }
        }
    }
}
