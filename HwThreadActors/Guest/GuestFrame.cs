namespace H2Sim.HwThreadActors.Guest;

/// <summary>
/// A guest routine written as an explicit state machine (the allocation-free form of the guest
/// libraries): each call runs it from <see cref="GuestFrame.Pc"/> until it needs virtual time (a
/// spin, a trap, a print), calls another routine or returns, and leaves in the frame where to go on.
/// </summary>
public delegate GuestAction GuestRoutine(GuestThread t, ref GuestFrame f);

/// <summary>
/// One routine invocation on a context's call stack: the routine (or, for C# iterator programs,
/// the iterator), its program counter, four arguments, four locals and an object slot for host
/// state the routine keeps (a scenario program, a booter's list of children).
/// </summary>
public struct GuestFrame
{
    public GuestRoutine? Routine;
    public IEnumerator<GuestAction>? Iterator;
    public int Pc;
    public long A0;
    public long A1;
    public long A2;
    public long A3;
    public long L0;
    public long L1;
    public long L2;
    public long L3;
    public object? Ref;

    /// <summary>Goes on at <paramref name="pc"/> and hands <paramref name="action"/> to the engine (the "yield").</summary>
    public GuestAction Then(int pc, in GuestAction action)
    {
        Pc = pc;
        return action;
    }
}
