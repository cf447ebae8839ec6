using System.Globalization;
using System.Runtime.Versioning;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>
/// The Python client runs only the protobuf module it generated itself, this run, in a folder of its
/// own (issue 14): never one planted in a shared folder such as the temporary directory.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PythonGeneratedCodeTests : IDisposable
{
    private const string User = "chat-test-user";
    private readonly string _root = Directory.CreateTempSubdirectory("chat-python-").FullName;

    [Fact]
    public async Task AChatPb2PlantedWhereTheClientOnceGeneratedItsModuleIsNeverRun()
    {
        var temp = Directory.CreateDirectory(Path.Combine(_root, "tmp")).FullName;
        var scriptFolder = Directory.CreateDirectory(Path.Combine(_root, "client")).FullName;
        var script = Path.Combine(scriptFolder, "chat_client.py");
        File.Copy(PythonTooling.ClientScript, script);
        var marker = Path.Combine(_root, "planted-code-ran");
        var planted = $"open({PythonString(marker)}, 'w').write('planted')\n";
        // Where earlier versions generated the module: beside the script, or, when that folder was
        // read-only, a fixed folder in the temporary directory that any local user can create first.
        File.WriteAllText(Path.Combine(scriptFolder, "chat_pb2.py"), planted);
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(temp, $"chat-proto-{User}")).FullName, "chat_pb2.py"), planted);
        File.SetUnixFileMode(scriptFolder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
            UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        await using var server = await TestServer.StartAsync();
        var python = await PythonTooling.RequirePythonAsync();
        var environment = new Dictionary<string, string> { ["TMPDIR"] = temp, ["LOGNAME"] = User, ["USER"] = User };
        await using var client = ProgramProcess.StartCommand(python, scriptFolder, environment,
            script, "--host", "127.0.0.1", "--port", $"{server.EndPoint.Port}",
            "--proto", RepositoryRoot.Combine("src", "Chat.Protocol", "chat.proto"));

        client.CloseInput();
        var exitCode = await client.WaitForExitAsync();

        Assert.False(File.Exists(marker), "the client imported a chat_pb2.py it had not generated");
        Assert.Equal(0, exitCode);
        Assert.Matches(@"^connected as user \d+$", (await client.ReadRemainingOutputAsync()).TrimEnd('\n'));
        // Its own module's folder is gone once it exits: only the planted folder is left.
        Assert.Equal([$"chat-proto-{User}"], Directory.GetFileSystemEntries(temp).Select(Path.GetFileName));
    }

    public void Dispose()
    {
        File.SetUnixFileMode(Path.Combine(_root, "client"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.Delete(_root, recursive: true);
    }

    // A Python string literal for a path (the paths here hold no quote or backslash).
    private static string PythonString(string text) => string.Create(CultureInfo.InvariantCulture, $"'{text}'");
}
