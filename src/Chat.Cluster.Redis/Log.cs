using Microsoft.Extensions.Logging;

namespace Chat.Cluster.Redis;

internal static partial class Log
{
    [LoggerMessage(600, LogLevel.Information, "Cluster {Cluster}: node {Node} linked to Redis; {Nodes} other nodes, {Users} remote users", EventName = "ClusterLinked")]
    public static partial void Linked(ILogger logger, string cluster, string node, int nodes, int users);

    [LoggerMessage(601, LogLevel.Warning, "Cluster link lost ({ConnectionType} connection to {EndPoint}: {FailureType}); local chat goes on, cross-node messages get a notice", EventName = "ClusterLinkLost")]
    public static partial void LinkLost(ILogger logger, string connectionType, string endPoint, string failureType);

    [LoggerMessage(602, LogLevel.Warning, "Cluster resync failed, retrying on the next heartbeat: {Message}", EventName = "ClusterResyncFailed")]
    public static partial void ResyncFailed(ILogger logger, string message);

    [LoggerMessage(603, LogLevel.Information, "Node {Node} declared dead: not heard from for {Timeout}", EventName = "ClusterNodeDead")]
    public static partial void NodeDead(ILogger logger, string node, TimeSpan timeout);

    [LoggerMessage(604, LogLevel.Warning, "This node's own probes did not come back within {Timeout}: resubscribing", EventName = "ClusterSubscriptionSilent")]
    public static partial void SubscriptionSilent(ILogger logger, TimeSpan timeout);

    [LoggerMessage(605, LogLevel.Warning, "Redis lost its data: dropping unused ids and leasing above {Floor}, every id known to be leased", EventName = "ClusterCounterReset")]
    public static partial void CounterReset(ILogger logger, long floor);

    [LoggerMessage(606, LogLevel.Debug, "Dropped a malformed message on {Channel}", EventName = "ClusterMalformedMessage")]
    public static partial void Malformed(ILogger logger, string channel);

    [LoggerMessage(607, LogLevel.Warning, "Heartbeat failed: {Message}", EventName = "ClusterHeartbeatFailed")]
    public static partial void HeartbeatFailed(ILogger logger, string message);

    [LoggerMessage(608, LogLevel.Warning, "Redis counts no subscriber on this node's channel: resubscribing", EventName = "ClusterSubscriptionLost")]
    public static partial void SubscriptionLost(ILogger logger);

    [LoggerMessage(609, LogLevel.Information, "Redis holds a new data set: waiting {Wait} before leasing ids, so that nodes which outlived a Redis restart first raise the counter above the ids they used", EventName = "ClusterSettling")]
    public static partial void Settling(ILogger logger, TimeSpan wait);

    [LoggerMessage(610, LogLevel.Error, "Delivering a message from another node failed", EventName = "ClusterInboundFailed")]
    public static partial void InboundFailed(ILogger logger, Exception exception);
}
