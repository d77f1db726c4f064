using H2Sim.KernelActors.Data;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Guest;

/// <summary>
/// What runs around a context's program (crt0): a VM's main is followed by exit(0) when it
/// returns, any other thread by THREAD_STOP; a guest event runs the handler at the event vector
/// with r0 saved and restored around it (a vector of 0 drops the event with vmtrap return).
/// The program's entry point is the frame's object slot.
/// </summary>
public static class Crt0
{
    /// <summary>crt0 of a VM's main: main, then exit(0) (sys_exit for this kernel).</summary>
    public static GuestAction Main(GuestThread t, ref GuestFrame f) => f.Pc switch
    {
        0 => f.Then(1, ((GuestEntryPoint)f.Ref!).Start(t, 0)),
        1 => f.Then(2, GuestLib.Exit(0)),
        _ => Return(),
    };

    /// <summary>A raw thread: its program with its argument, then THREAD_STOP when it returns.</summary>
    public static GuestAction Thread(GuestThread t, ref GuestFrame f) => f.Pc switch
    {
        0 => f.Then(1, ((GuestEntryPoint)f.Ref!).Start(t, t.Arg)),
        1 => f.Then(2, Trap0(Trap0Numbers.ThreadStop, 0)),
        _ => Return(),
    };

    /// <summary>A guest event: r0 kept in L0 while the handler (entry point in Ref, null: none) runs.</summary>
    public static GuestAction EventHandler(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                f.L0 = t.Context.R00;
                return f.Then(1, f.Ref is GuestEntryPoint handler ? handler.Start(t, 0) : VmTrap(Trap1.Return));
            default:
                t.Context.R00 = f.L0;
                return Return();
        }
    }
}
