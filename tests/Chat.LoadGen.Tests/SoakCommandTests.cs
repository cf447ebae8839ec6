using Chat.LoadGen.Soak;

namespace Chat.LoadGen.Tests;

public class SoakCommandTests
{
    [Fact]
    public void DurationsAreSecondsOrMinutesAndABareNumberIsMinutes()
    {
        Assert.Equal(TimeSpan.FromSeconds(20), SoakCommand.TryParseDuration("20s"));
        Assert.Equal(TimeSpan.FromMinutes(10), SoakCommand.TryParseDuration("10m"));
        Assert.Equal(TimeSpan.FromMinutes(10), SoakCommand.TryParseDuration("10"));
        Assert.Null(SoakCommand.TryParseDuration("ten"));
    }

    [Fact]
    public void TheMixIsThreeWeightsMadeIntoShares()
    {
        var mix = MessageMix.TryParse("6:2:2");

        Assert.NotNull(mix);
        Assert.Equal(MessageMix.Kind.Direct, mix.Pick(0.59));
        Assert.Equal(MessageMix.Kind.Broadcast, mix.Pick(0.61));
        Assert.Equal(MessageMix.Kind.ToSelf, mix.Pick(0.81));
        Assert.Null(MessageMix.TryParse("1:2"));
        Assert.Null(MessageMix.TryParse("0:0:0"));
    }
}
