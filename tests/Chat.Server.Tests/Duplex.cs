using System.IO.Pipelines;

namespace Chat.Server.Tests;

/// <summary>One side of an in-memory connection: what it reads and what it writes.</summary>
internal sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
