using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;

namespace H2Sim.Tests.Kernel.Support;

/// <summary>
/// The world outside one kernel instance, as a recording double: the interrupts the kernel raises
/// (swi), the CHILDINTs it posts to a parent, the timer it arms and the notes it leaves for the
/// trace. It is not a mock of the model: the kernel under test is the real one.
/// </summary>
public sealed class RecordingKernelEffects : IKernelEffects
{
    public ulong NowCycles { get; set; } = 10_000;

    public List<(int Cluster, int HThread, int Intno)> Interrupts { get; } = new();

    public List<(int ChildVmidx, ThreadId Parent, long Status)> ChildInts { get; } = new();

    public List<ulong> TimerDeadlines { get; } = new();

    public List<(KernelNote Note, int Vmidx, long A, long B)> Notes { get; } = new();

    /// <summary>The hthreads interrupt <paramref name="intno"/> was raised toward, in order.</summary>
    public List<int> InterruptsTo(int intno) => Interrupts.Where(i => i.Intno == intno).Select(i => i.HThread).ToList();

    public void SendInterrupt(int cluster, int targetHThread, int intno, bool killDelivery = false) => Interrupts.Add((cluster, targetHThread, intno));

    /// <summary>CHILDINT from a stopping thread: recorded, and delivered as sent (so the kernel posts it in the section).</summary>
    public bool SendChildInt(VmBlock child, ThreadId parent)
    {
        ChildInts.Add((child.Vmidx, parent, child.Status));
        return true;
    }

    public List<(int ParentVmidx, bool Posted)> ChildIntsHandled { get; } = new();

    public void ChildIntHandled(int parentVmidx, bool posted) => ChildIntsHandled.Add((parentVmidx, posted));

    public List<(ChoiceKind Kind, int Count, int Index)> Choices { get; } = new();

    public void RecordChoice(ChoiceKind kind, int subject, int count, int index, uint candidate) => Choices.Add((kind, count, index));

    public List<(int FromVmidx, int TargetCluster, int TargetHThread, long Value)> RemoteReplies { get; } = new();

    public void SendRemoteReply(int fromVmidx, int targetCluster, int targetHThread, long value) => RemoteReplies.Add((fromVmidx, targetCluster, targetHThread, value));

    public List<(int FromVmidx, int TargetCluster, int TargetVmidx, RemoteMessage Kind)> Remote { get; } = new();

    public void SendRemote(VmBlock from, int targetCluster, int targetVmidx, RemoteMessage kind, long a, long b, long c) =>
        Remote.Add((from.Vmidx, targetCluster, targetVmidx, kind));

    public void ProgramTimer(int cluster, ulong deadlineCycles) => TimerDeadlines.Add(deadlineCycles);

    public void Note(int cluster, KernelNote note, VmBlock vm, long a, long b) => Notes.Add((note, vm.Vmidx, a, b));

    /// <summary>Forgets everything recorded so far (the set-up's traffic), so a test sees only its own step.</summary>
    public void Clear()
    {
        Interrupts.Clear();
        ChildInts.Clear();
        TimerDeadlines.Clear();
        Notes.Clear();
        Remote.Clear();
        ChildIntsHandled.Clear();
        Choices.Clear();
        RemoteReplies.Clear();
    }
}
