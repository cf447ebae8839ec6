namespace Chat.Conform;

/// <summary>How much of the protocol a run holds the server to.</summary>
internal enum CheckLevel
{
    /// <summary>What the course's assignment asks of a student's server, and nothing more.</summary>
    Assignment,

    /// <summary>Everything the contract promises (the default); includes the assignment's checks.</summary>
    Contract,
}
