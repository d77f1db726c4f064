using H2Sim.Core.Randomness;
using Xunit;

namespace H2Sim.Tests.Core;

public sealed class DeterministicRandomTests
{
    private static ulong[] Draw(DeterministicRandom random, int count) =>
        Enumerable.Range(0, count).Select(_ => random.NextUInt64()).ToArray();

    [Fact]
    public void The_same_seed_actor_and_purpose_give_the_same_stream()
    {
        Assert.Equal(Draw(new DeterministicRandom(7, 3, (RandomPurpose)9), 100), Draw(new DeterministicRandom(7, 3, (RandomPurpose)9), 100));
    }

    [Fact]
    public void Changing_seed_actor_or_purpose_changes_the_stream()
    {
        var reference = Draw(new DeterministicRandom(7, 3, (RandomPurpose)9), 8);
        Assert.NotEqual(reference, Draw(new DeterministicRandom(8, 3, (RandomPurpose)9), 8));
        Assert.NotEqual(reference, Draw(new DeterministicRandom(7, 4, (RandomPurpose)9), 8));
        Assert.NotEqual(reference, Draw(new DeterministicRandom(7, 3, (RandomPurpose)10), 8));
    }

    [Fact]
    public void Bounded_and_exponential_draws_stay_in_range()
    {
        var random = new DeterministicRandom(1, 2, (RandomPurpose)3);
        double sum = 0;
        for (var i = 0; i < 10_000; i++)
        {
            Assert.InRange(random.NextBelow(10), 0UL, 9UL);
            var unit = random.NextDouble();
            Assert.InRange(unit, 0.0, 0.9999999999999999);
            sum += random.NextExponential(100);
        }

        // The mean of 10 000 exponential draws of mean 100 (floored) is within a few percent of 99.5.
        Assert.InRange(sum / 10_000, 95.0, 104.0);
    }
}
