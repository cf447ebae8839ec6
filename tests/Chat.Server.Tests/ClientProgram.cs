namespace Chat.Server.Tests;

/// <summary>The two shipped chat clients, for tests that hold both to the same behaviour.</summary>
public enum ClientProgram
{
    /// <summary>The .NET console client, <c>chat-client</c>.</summary>
    DotNet,

    /// <summary>The example Python client, <c>examples/python/chat_client.py</c>.</summary>
    Python,
}
