namespace Chat.Server.Routing;

/// <summary>The outcome of asking the registry for a place and an id.</summary>
internal enum Reservation
{
    Reserved,

    /// <summary>The server holds its maximum of users.</summary>
    Full,

    /// <summary>Cluster mode: no id can be had until Redis is reachable again.</summary>
    NoIds,
}
