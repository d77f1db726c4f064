namespace H2Sim.Core.Run;

/// <summary>
/// Where a running simulation stands: written by the engine after each window, read by another
/// thread that shows progress. Display only: nothing here reaches the simulation.
/// </summary>
public sealed class RunProgress
{
    private long windows;
    private long events;
    private long virtualCycles;

    public ulong Windows => (ulong)Interlocked.Read(ref windows);

    public ulong Events => (ulong)Interlocked.Read(ref events);

    public ulong VirtualCycles => (ulong)Interlocked.Read(ref virtualCycles);

    public void Update(ulong windowsRun, ulong eventsDelivered, ulong cycles)
    {
        Interlocked.Exchange(ref windows, (long)windowsRun);
        Interlocked.Exchange(ref events, (long)eventsDelivered);
        Interlocked.Exchange(ref virtualCycles, (long)cycles);
    }
}
