namespace H2Sim.HwThreadActors.Guest;

/// <summary>Storage a guest layer keeps with a pooled guest state (<see cref="GuestThread.Scratch"/>) and reuses for the next thread: freed when the context is cleared.</summary>
public interface IGuestScratch
{
    void Free();
}
