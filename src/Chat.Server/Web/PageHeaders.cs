using Microsoft.AspNetCore.Http;

namespace Chat.Server.Web;

/// <summary>
/// The headers every page of this server carries: it loads nothing from elsewhere and talks only to
/// this server, and the browser is told so, so a script injected somehow still could not send what
/// it reads anywhere else; it is never framed, never sniffed, and sends no Referer.
/// </summary>
internal static class PageHeaders
{
    /// <summary>Adds them; <paramref name="connectSources"/> is what the page's scripts may connect to besides its own origin.</summary>
    public static void Add(HttpResponse response, string connectSources = "")
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'self'; connect-src 'self'{connectSources}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
