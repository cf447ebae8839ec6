using Microsoft.AspNetCore.Http.Features;

namespace Chat.Server.Web;

/// <summary>
/// Kestrel's upgrade, with the upgraded stream wrapped in a <see cref="WriteBatchingStream"/>
/// before the WebSocket is made over it, and kept for the session's send loop.
/// </summary>
internal sealed class WriteBatchingUpgrade(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    /// <summary>The stream the WebSocket writes to, once upgraded.</summary>
    public WriteBatchingStream? Stream { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        Stream = new WriteBatchingStream(await inner.UpgradeAsync());
        return Stream;
    }
}
