namespace Chat.Server.Web.Dashboard;

/// <summary>What a request to <c>/admin</c> or <c>/api</c> showed of the operator's token.</summary>
internal enum AdminCredential
{
    /// <summary>No Authorization header and no cookie.</summary>
    Missing,

    /// <summary>A token that is not the operator's (or an Authorization header that is not Bearer).</summary>
    Wrong,

    /// <summary>The token in <c>Authorization: Bearer</c>: a script, which a browser cannot be tricked into sending.</summary>
    Bearer,

    /// <summary>The token in the cookie: a browser, which sends it with other sites' requests too.</summary>
    Cookie,
}
