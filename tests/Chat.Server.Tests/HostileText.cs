namespace Chat.Server.Tests;

/// <summary>
/// Text a user or a server might send to take over someone's terminal, and how a client must show
/// it instead: every control (C0, DEL, C1) and every bidirectional override, embedding, isolate or
/// mark as a visible escape, a backslash doubled so the escapes stay unambiguous, on one line.
/// </summary>
internal static class HostileText
{
    public static readonly IReadOnlyList<(string Sent, string Shown)> Samples =
    [
        ("\u001b[2J", @"\x1b[2J"),                                              // clear the screen
        ("\u001b]0;title\u0007", @"\x1b]0;title\x07"),                          // set the window title
        ("hidden\rshown", @"hidden\rshown"),                                    // overwrite the line
        ("hi\n* server: you were kicked", @"hi\n* server: you were kicked"),    // forge a notice
        ("\u202Etxt.exe", @"\u202etxt.exe"),                                    // right-to-left override
        (@"back\slash \x1b", @"back\\slash \\x1b"),                             // a backslash that could fake an escape
        ("nul\0 del\u007f c1\u0085\u009b tab\t", @"nul\x00 del\x7f c1\x85\x9b tab\t"),
        ("\u202A\u202B\u202C\u202D \u2066\u2067\u2068\u2069 \u200E\u200F\u061C \u2028\u2029",
            @"\u202a\u202b\u202c\u202d \u2066\u2067\u2068\u2069 \u200e\u200f\u061c \u2028\u2029"),
        ("héllo ✓ 😀 שלום", "héllo ✓ 😀 שלום"),                                // printable text stays as it is
    ];

    /// <summary>The samples as test cases: what is sent, and what the screen must show.</summary>
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var (sent, shown) in Samples)
        {
            cases.Add(sent, shown);
        }

        return cases;
    }
}
