namespace Chat.Server.Admin;

/// <summary>What the operator may ask of the host: a graceful shutdown.</summary>
internal interface IServerControl
{
    /// <summary>Begins a graceful shutdown (PROTOCOL.md, "Conversation" 6); asking twice changes nothing.</summary>
    /// <param name="drainTime">How long to keep serving current users; null takes the configured default.</param>
    /// <returns>The drain time actually in force.</returns>
    TimeSpan RequestShutdown(TimeSpan? drainTime);
}
