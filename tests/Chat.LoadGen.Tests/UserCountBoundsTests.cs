using Chat.LoadGen.Soak;

namespace Chat.LoadGen.Tests;

public class UserCountBoundsTests
{
    [Fact]
    public void ACountBetweenTheBoundsPasses()
    {
        var bounds = new UserCountBounds();
        bounds.Connecting();
        bounds.Connecting();
        bounds.Joined();

        bounds.OpenWindow();

        Assert.Null(bounds.CloseWindow(1, "num.users"));
        bounds.OpenWindow();
        Assert.Null(bounds.CloseWindow(2, "num.users"));
    }

    [Fact]
    public void ACountOutsideTheBoundsIsAViolation()
    {
        var bounds = new UserCountBounds();
        bounds.Connecting();
        bounds.Joined();

        bounds.OpenWindow();
        Assert.Contains("said 2 users while the soak had between 1 and 1", bounds.CloseWindow(2, "num.users"), StringComparison.Ordinal);
        bounds.OpenWindow();
        Assert.NotNull(bounds.CloseWindow(0, "num.users"));
    }

    [Fact]
    public void ChangesDuringThePollWidenTheWindow()
    {
        var bounds = new UserCountBounds();
        bounds.Connecting();
        bounds.Joined();

        bounds.OpenWindow();
        bounds.Leaving();
        bounds.Gone();
        bounds.Connecting();
        bounds.Connecting();

        // Lowest low 0 (after the leave), highest high 2 (the two newcomers).
        Assert.Null(bounds.CloseWindow(0, "num.users"));
        bounds.OpenWindow();
        bounds.Leaving();
        Assert.Null(bounds.CloseWindow(2, "num.users"));
    }

    [Fact]
    public void AUserThatLeftButIsNotGoneStillCountsAtMost()
    {
        var bounds = new UserCountBounds();
        bounds.Connecting();
        bounds.Joined();
        bounds.Leaving();

        bounds.OpenWindow();

        Assert.Null(bounds.CloseWindow(1, "num.users"));
        Assert.Null(bounds.CloseWindow(0, "num.users"));
    }
}
