using Chat.Server.Admin;

namespace Chat.Server.Tests;

public class CommandDispatcherTests
{
    [Fact]
    public void CommandThatFailsUnexpectedlyGetsAOneLineErrorAndTheDispatcherGoesOn()
    {
        var dispatcher = new CommandDispatcher([new FaultyCommand(), new EchoCommand()]);
        using var output = new StringWriter();

        var failed = dispatcher.Execute("faulty", output);
        var next = dispatcher.Execute("echo", output);

        Assert.False(failed);
        Assert.True(next);
        Assert.Equal(["faulty: failed: a bug in the command", "ok"], output.ToString().TrimEnd('\n').Split('\n'));
    }

    private sealed class FaultyCommand : IOperatorCommand
    {
        public string Name => "faulty";

        public string Usage => "faulty";

        public string Summary => "always throws";

        public void Execute(IReadOnlyList<string> arguments, CommandOutput output) =>
            throw new InvalidOperationException("a bug in the command");
    }

    private sealed class EchoCommand : IOperatorCommand
    {
        public string Name => "echo";

        public string Usage => "echo";

        public string Summary => "says ok";

        public void Execute(IReadOnlyList<string> arguments, CommandOutput output) => output.Show("ok", static (text, writer) => writer.WriteLine(text));
    }
}
