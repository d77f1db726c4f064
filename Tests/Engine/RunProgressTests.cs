using H2Sim.Cluster.Engine;
using H2Sim.Core.Phold;
using H2Sim.Core.Run;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Engine;

/// <summary>The progress board a run's status line reads ends at the run's own figures, on one partition and on several.</summary>
public sealed class RunProgressTests(EngineFixture engine) : IClassFixture<EngineFixture>
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void After_the_run_the_board_shows_its_windows_events_and_last_cycle(int partitions)
    {
        var spec = TestPhold.Spec(seed: 11, events: 50_000);
        var board = new RunProgress();

        var result = AkkaEngine.RunIn(engine.System, spec, partitions, board);

        Assert.True(result.Windows > 1, "a run of one window says little");
        Assert.Equal((result.Windows, result.Events, result.VirtualCycles), (board.Windows, board.Events, board.VirtualCycles));
    }
}
