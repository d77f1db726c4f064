using System.Runtime.CompilerServices;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.Guest;

/// <summary>
/// A context's guest state (kept in ThreadContext.Guest): the call stack of routine frames, the
/// last routine's return values, and the cycles left of an interrupted spin. Calls, invokes and
/// returns are handled here without virtual time; only spins, traps and prints leave. A guest
/// event pushes its handler on top; the handler's vmtrap return pops back to the interrupted code.
/// Frames are structs in an array that grows to the deepest call and is reused: stepping a
/// state-machine routine allocates nothing.
/// </summary>
public sealed class GuestExecution(GuestThread thread, Stack<GuestExecution>? pool = null) : IGuestState
{
    private const int MaxDepth = 4_096;

    /// <summary>Steps a program may take without spending a cycle before it is reported stuck.</summary>
    public const int StepLimit = 100_000;
    private GuestFrame[] frames = new GuestFrame[8];
    private int depth;

    public GuestThread Thread { get; } = thread;

    /// <summary>Cycles of the current spin still to run (after an interrupt cut it short).</summary>
    public ulong SpinRemaining { get; set; }

    /// <summary>When the running spin ends, if one runs.</summary>
    public ulong SpinEndsAt { get; set; }

    /// <summary>What the routine that returned last handed back (its C return value).</summary>
    public long Returned { get; set; }

    /// <summary>A second value a routine hands back (pthread_join's retval beside its return code).</summary>
    public long Returned2 { get; set; }

    public bool Finished => depth == 0;

    /// <summary>The context was cleared: the call stack is emptied and this state waits in its pool for the next thread.</summary>
    public void Release()
    {
        Array.Clear(frames, 0, depth);
        depth = 0;
        SpinRemaining = 0;
        SpinEndsAt = 0;
        Returned = 0;
        Returned2 = 0;
        Thread.Unbind();
        pool?.Push(this);
    }

    /// <summary>
    /// Adds the call stack and the spin to a state fingerprint: each frame's routine, pc, arguments
    /// and locals. An iterator frame's state is hidden in its enumerator, so it hashes by identity.
    /// </summary>
    public void Fingerprint(ref System.StateHasher h, ulong nowCycles)
    {
        h.Add(depth);
        h.Add((long)SpinRemaining);
        h.Add(SpinEndsAt > nowCycles ? (long)(SpinEndsAt - nowCycles) : 0);
        h.Add(Returned);
        h.Add(Returned2);
        h.Add(Thread.Ugp);
        for (var i = 0; i < depth; i++)
        {
            ref var frame = ref frames[i];
            h.Add(frame.Routine is { } routine ? (long)System.StateHasher.Fnv(routine.Method.DeclaringType?.FullName + "." + routine.Method.Name) : 0);
            h.Add(frame.Iterator is null ? 0 : (1L << 40) + (uint)RuntimeHelpers.GetHashCode(frame.Iterator));
            h.Add(frame.Pc);
            h.Add(frame.A0);
            h.Add(frame.A1);
            h.Add(frame.A2);
            h.Add(frame.A3);
            h.Add(frame.L0);
            h.Add(frame.L1);
            h.Add(frame.L2);
            h.Add(frame.L3);
            if (frame.Ref is IStateFingerprint state)
            {
                state.Fingerprint(ref h);
            }
            else
            {
                h.Add(frame.Ref is null ? 0 : RuntimeHelpers.GetHashCode(frame.Ref));
            }
        }
    }

    public void Push(IEnumerable<GuestAction> routine) => PushFrame(new GuestFrame { Iterator = routine.GetEnumerator() });

    public void Push(GuestRoutine routine, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, object? reference = null) =>
        PushFrame(new GuestFrame { Routine = routine, A0 = a0, A1 = a1, A2 = a2, A3 = a3, Ref = reference });

    /// <summary>The next action that takes virtual time; null when the program ended.</summary>
    public GuestAction? Next()
    {
        for (var steps = 0; depth > 0; steps++)
        {
            if (steps == StepLimit)
            {
                throw new GuestProgressException($"{Thread.Context}: the guest ran {StepLimit} steps without spending a cycle");
            }

            var action = Step(ref frames[depth - 1]);
            switch (action.Kind)
            {
                case GuestActionKind.Call:
                    Push(action.Routine!);
                    continue;
                case GuestActionKind.Invoke:
                    Push(action.Callee!, action.A0, action.A1, action.A2, action.A3, action.Ref);
                    continue;
                case GuestActionKind.Return:
                    Returned = action.Value;
                    Pop();
                    continue;
                case GuestActionKind.Spin when action.Cycles == 0:
                    continue;
                default:
                    return action;
            }
        }

        return null;
    }

    private GuestAction Step(ref GuestFrame frame)
    {
        if (frame.Iterator is not { } iterator)
        {
            return frame.Routine!(Thread, ref frame);
        }

        if (iterator.MoveNext())
        {
            return iterator.Current;
        }

        iterator.Dispose();
        return GuestAction.Return();
    }

    private void PushFrame(in GuestFrame frame)
    {
        if (depth == frames.Length)
        {
            if (depth == MaxDepth)
            {
                throw new InvalidOperationException($"guest call stack of {Thread.Context} is deeper than {MaxDepth} routines");
            }

            Array.Resize(ref frames, depth * 2);
        }

        frames[depth++] = frame;
    }

    private void Pop() => frames[--depth] = default;
}

/// <summary>A guest program that runs forever without spending virtual time (a loop of zero-time steps).</summary>
public sealed class GuestProgressException(string message) : Exception(message);
