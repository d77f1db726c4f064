namespace H2Sim.HwThreadActors.Guest;

/// <summary>
/// A context's guest state (kept in ThreadContext.Guest): the call stack of iterators and the
/// cycles left of an interrupted spin. A guest event pushes its handler on top; the handler's
/// vmtrap return pops back to the interrupted code.
/// </summary>
public sealed class GuestExecution(GuestThread thread)
{
    private readonly Stack<IEnumerator<GuestAction>> frames = new();

    public GuestThread Thread { get; } = thread;

    /// <summary>Cycles of the current spin still to run (after an interrupt cut it short).</summary>
    public ulong SpinRemaining { get; set; }

    /// <summary>When the running spin ends, if one runs.</summary>
    public ulong SpinEndsAt { get; set; }

    public bool Finished => frames.Count == 0;

    public void Push(IEnumerable<GuestAction> routine) => frames.Push(routine.GetEnumerator());

    /// <summary>The next action of the innermost frame, popping finished frames; null when the program ended.</summary>
    public GuestAction? Next()
    {
        while (frames.Count > 0)
        {
            var top = frames.Peek();
            if (top.MoveNext())
            {
                return top.Current;
            }

            top.Dispose();
            frames.Pop();
        }

        return null;
    }
}
