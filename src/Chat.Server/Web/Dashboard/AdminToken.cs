using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Chat.Server.Web.Dashboard;

/// <summary>
/// The operator's token for <c>/admin</c> and <c>/api</c>: the configured one
/// (<see cref="ChatServerOptions.AdminToken"/>), or 32 random bytes from the cryptographic RNG made
/// at start. Candidates are compared by their SHA-256 in constant time, so neither the time taken
/// nor the length tells an attacker how close a guess was.
/// </summary>
internal sealed class AdminToken
{
    private readonly byte[] _hash;

    public AdminToken(string? configured)
    {
        Generated = string.IsNullOrEmpty(configured);
        Value = Generated ? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)) : configured!;
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(Value));
    }

    /// <summary>The token; safe in a URL and a header when generated (base64url).</summary>
    public string Value { get; }

    /// <summary>True when nobody configured one, so that it has to be shown at start.</summary>
    public bool Generated { get; }

    /// <summary>True when <paramref name="candidate"/> is the token.</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(candidate)));
}
