using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>Starts either shipped client against a port on 127.0.0.1.</summary>
internal static class ClientPrograms
{
    public static Task<ProgramProcess> StartAsync(ClientProgram program, int port, params string[] arguments) =>
        StartWithArgumentsAsync(program, ["--host", "127.0.0.1", "--port", $"{port}", .. arguments]);

    /// <summary>Starts <paramref name="program"/> with exactly <paramref name="arguments"/>.</summary>
    public static async Task<ProgramProcess> StartWithArgumentsAsync(ClientProgram program, params string[] arguments)
    {
        return program switch
        {
            ClientProgram.DotNet => ProgramProcess.Start("chat-client", arguments),
            ClientProgram.Python => await PythonTooling.StartClientAsync(arguments),
            _ => throw new ArgumentOutOfRangeException(nameof(program), program, "not a client program"),
        };
    }
}
