namespace Chat.Server.Web.Dashboard;

/// <summary>What a request to <c>/api</c> showed of the operator's token.</summary>
internal enum AdminCredential
{
    /// <summary>No Authorization header (a cookie, of old or not, counts for nothing).</summary>
    Missing,

    /// <summary>A token that is not the operator's (or an Authorization header that is not Bearer).</summary>
    Wrong,

    /// <summary>
    /// The token in <c>Authorization: Bearer</c>: only a script that holds it sends it, as a browser
    /// never adds that header by itself to a request another site makes.
    /// </summary>
    Bearer,
}
