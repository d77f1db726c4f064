using System.Globalization;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>An inclusive range of a scenario number, with the name errors and docs/scenarios.md use.</summary>
public sealed record ScenarioRange(string Name, long Min, long Max)
{
    public bool Contains(long value) => value >= Min && value <= Max;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Min}..{Max}");
}

/// <summary>
/// The range of every number a scenario holds (docs/scenarios.md, "Ranges"), from the kernel's
/// limits (h2-domain.md §1) where it has one, and otherwise a bound on the work a small file may
/// ask for. Numbers written in the file are checked when it is loaded; numbers an expression
/// computes at run time (repeat counts, call depth) are checked when evaluated, and a value out
/// of range ends the run as an input error with the operation's file:line.
/// </summary>
public static class ScenarioRanges
{
    /// <summary>
    /// H2 itself has at most CLUSTER_MAX_CLUSTERS = 4; more is h2sim's cross-cluster extension.
    /// 64 is the largest system measured (the 1M-context storm, docs/cluster.md) and keeps a
    /// placement group per cluster within what one machine's partitions can hold.
    /// </summary>
    public static readonly ScenarioRange Clusters = new("clusters", 1, 64);

    /// <summary>MAX_HTHREADS is 16 on v81+ (libs/h2/common/h2_common_defs.h).</summary>
    public static readonly ScenarioRange HThreads = new("hthreads", 1, 16);

    /// <summary>H2K_ID_MAX_CPUS: cpuidx is 16 bits of a thread id (kernel/data/idtype/idtype.h).</summary>
    public static readonly ScenarioRange MaxCpus = new("max_cpus", 1, 65_536);

    /// <summary>MAX_PRIOS = 256, 0 best.</summary>
    public static readonly ScenarioRange Prio = new("prio", 0, 255);

    /// <summary>The booter's --boots: each boot runs the VM to its end again; a bound on work.</summary>
    public static readonly ScenarioRange Boots = new("boots", 1, 1_000);

    /// <summary>h2_sem: the value is the low half of the word, at most PTHREAD_SEM_VALUE_MAX_NP.</summary>
    public static readonly ScenarioRange SemValue = new("the initial value of a sem", 0, 0x7fff);

    /// <summary>The barrier word holds threads_left and total in 16-bit fields.</summary>
    public static readonly ScenarioRange BarrierCount = new("the count of a barrier", 1, 0xffff);

    /// <summary>Cycles of one cost-model entry: a kernel path costs tens to thousands.</summary>
    public static readonly ScenarioRange CostCycles = new("cycles of a cost", 0, 1_000_000_000);

    /// <summary>Virtual time is 64-bit; 2^62 keeps every time plus a latency or a spin far from wrapping.</summary>
    public static readonly ScenarioRange Horizon = new("the horizon in cycles", 1, 1L << 62);

    /// <summary>VMs in one file: 62 slots per cluster (vmidx 2..63) on 64 clusters, with room to spare.</summary>
    public static readonly ScenarioRange Vms = new("VMs", 1, 4_096);

    /// <summary>
    /// Contexts of all VMs together (the sum of max_cpus): each costs about 1.86 KB (docs/cluster.md),
    /// so 4M is about 8 GB, the most one machine of this project's size can hold.
    /// </summary>
    public static readonly ScenarioRange Contexts = new("contexts (the sum of max_cpus)", 1, 4_194_304);

    /// <summary>One `repeat`'s count (a number in the file, or an expression's value at run time).</summary>
    public static readonly ScenarioRange RepeatTimes = new("repeat times", 0, 1_000_000);

    /// <summary>A hardware interrupt a device raises: one of the kernel model's interrupt numbers (KernelConstants.MaxInterrupts).</summary>
    public static readonly ScenarioRange InterruptNumber = new("an interrupt number", 0, KernelActors.Data.KernelConstants.MaxInterrupts - 1);

    /// <summary>Iterations of repeats nested in the file, multiplied (their counts are numbers).</summary>
    public static readonly ScenarioRange NestedRepeatIterations = new("iterations of nested repeats", 0, 10_000_000);

    /// <summary>`call` frames on one thread: the guest's call stack is a heap object, so recursion needs a bound.</summary>
    public static readonly ScenarioRange CallDepth = new("call depth", 0, 64);

    /// <summary>Characters of one expression, and how deeply it nests (parentheses, unary operators, operands).</summary>
    public static readonly ScenarioRange ExpressionLength = new("characters of an expression", 1, 4_096);

    public static readonly ScenarioRange ExpressionDepth = new("expression depth", 1, 64);

    /// <summary>A scenario file: a 1M-context storm is about 4 MB; the text travels in one remote frame (16 MiB).</summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;
}
