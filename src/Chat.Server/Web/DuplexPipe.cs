using System.IO.Pipelines;

namespace Chat.Server.Web;

/// <summary>The two halves a connection's transport is made of.</summary>
internal sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
