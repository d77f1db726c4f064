using System.Globalization;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Pthread;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Scenarios.Interpreter;

/// <summary>
/// One run of a thread body on a context (the body's stack frame in C): where it is, its
/// thread-local variables and repeat counters, and what it returns. Also the environment its
/// expressions read: locals, then `id:` globals in guest memory, parameters and `self`.
/// </summary>
public sealed class ScenarioActivation : IExprEnvironment, IGuestScratch, IStateFingerprint
{
    // Thread-locals by slot (ScenarioProgram.LocalSlot; "arg" is slot 0) and which were set: an unset
    // local reads the `id:` global of the same name, as a name lookup would.
    private long[] locals = [];
    private bool[] localSet = [];
    private long[] counters = [];

    public ScenarioActivation(GuestThread thread, ScenarioBody body, long arg, int depth) => Reset(thread, body, arg, depth);

    public GuestThread Thread { get; private set; } = null!;

    public ScenarioBody Body { get; private set; } = null!;

    public ScenarioProgram Program => Body.Program;

    /// <summary>Calls between this activation and the thread's body (0 for the body itself).</summary>
    public int Depth { get; private set; }

    /// <summary>The body's activation of <paramref name="thread"/>, reusing the storage of the last thread that ran on the same guest state.</summary>
    public static ScenarioActivation ForBody(GuestThread thread, ScenarioBody body, long arg)
    {
        if (thread.Scratch is ScenarioActivation { InUse: false } reused)
        {
            reused.Reset(thread, body, arg, 0);
            reused.InUse = true;
            return reused;
        }

        // A body inside a body (a TLS destructor run by pthread_exit): its own storage.
        var activation = new ScenarioActivation(thread, body, arg, 0);
        if (thread.Scratch is null)
        {
            activation.InUse = true;
            thread.Scratch = activation;
        }

        return activation;
    }

    /// <summary>Whether a running body owns this storage (a finished body, or a cleared context's, frees it).</summary>
    public bool InUse { get; set; }

    public void Free() => InUse = false;

    private void Reset(GuestThread thread, ScenarioBody body, long arg, int depth)
    {
        Thread = thread;
        Body = body;
        Depth = depth;
        Ip = 0;
        ReturnValue = 0;
        var slots = body.Program.LocalSlots;
        if (locals.Length < slots)
        {
            locals = new long[slots];
            localSet = new bool[slots];
        }
        else
        {
            Array.Clear(locals, 0, slots);
            Array.Clear(localSet, 0, slots);
        }

        if (counters.Length < body.Counters)
        {
            counters = new long[body.Counters];
        }

        SetLocal("arg", arg);
    }

    /// <summary>The instruction running now (the body's length once it has ended).</summary>
    public int Ip { get; set; }

    public long ReturnValue { get; set; }

    public long Self => Thread.Id.Raw;

    public ref long Counter(int slot) => ref counters[slot];

    /// <summary>Where the body is, its locals and counters (the body itself is the scenario's, shared by every run).</summary>
    public void Fingerprint(ref System.StateHasher h)
    {
        h.Add(global::System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Body));
        h.Add(Depth);
        h.Add(Ip);
        h.Add(ReturnValue);
        for (var slot = 0; slot < Body.Counters; slot++)
        {
            h.Add(counters[slot]);
        }

        // Storage is reused across bodies: only this body's slots are its state.
        for (var slot = 0; slot < Program.LocalSlots; slot++)
        {
            h.Add(localSet[slot] ? locals[slot] : long.MinValue);
            h.Add(localSet[slot] ? 1 : 0);
        }
    }

    public void SetLocal(string name, long value)
    {
        var slot = Program.LocalSlot(name);
        locals[slot] = value;
        localSet[slot] = true;
    }

    public long Parameter(string name) => Thread.System.Parameters[name];

    public long Variable(string name) =>
        Program.TryLocalSlot(name, out var slot) && localSet[slot] ? locals[slot]
        : Program.GlobalSymbol(name) is { } symbol ? Thread.Load(Thread.Address(symbol))
        : 0;

    /// <summary>The value of argument <paramref name="name"/> of the instruction, or <paramref name="fallback"/> when it has none.</summary>
    public long Eval(ScenarioInstruction i, string name, long fallback = 0) => i.Op.Expr(name) is { } expr ? Eval(i, name, expr) : fallback;

    public long Eval(ScenarioInstruction i, string name, ScenarioExpr expr)
    {
        try
        {
            return expr.Eval(this);
        }
        catch (OverflowException e)
        {
            throw Error(i, $"{name}: {e.Message}");
        }
    }

    public ScenarioException Error(ScenarioInstruction i, string message) => new(Program.Scenario.File, i.Op.Line, $"{i.Op.Kind}: {message} (at run time)");

    /// <summary>The address of the instruction's object argument <paramref name="name"/> in this VM's memory.</summary>
    public long Address(ScenarioInstruction i, string name)
    {
        var obj = i.Op.Object(name);
        return Thread.Address(obj.Name, obj.Words);
    }

    /// <summary>The address of an `id:` global.</summary>
    public long GlobalAddress(string name) => Thread.Address(Program.GlobalSymbol(name)!);

    /// <summary>Moves on to the next instruction without spending time.</summary>
    public GuestAction Next(ref GuestFrame f) => Next(ref f, Spin(0));

    /// <summary>Moves on to the next instruction once <paramref name="action"/> is done.</summary>
    public GuestAction Next(ref GuestFrame f, in GuestAction action)
    {
        Ip++;
        return f.Then(0, action);
    }

    /// <summary>Goes on at instruction <paramref name="ip"/>.</summary>
    public GuestAction JumpTo(ref GuestFrame f, int ip)
    {
        Ip = ip;
        return f.Then(0, Spin(0));
    }

    /// <summary>The operation returned <paramref name="rc"/>: `save:` keeps it, `expect:` prints FAIL on a mismatch; then the next instruction.</summary>
    public GuestAction Finish(ref GuestFrame f, ScenarioInstruction i, long rc)
    {
        if (i.SaveVariable is { } save)
        {
            SetLocal(save, rc);
        }

        if (i.Expect is { } expect)
        {
            var expected = Eval(i, "expect", expect);
            if (rc != expected)
            {
                return Next(ref f, Print(Mismatch(i, rc, expected)));
            }
        }

        return Next(ref f);
    }

    public string Mismatch(ScenarioInstruction i, long actual, long expected) =>
        $"FAIL: {Program.Scenario.File}:{i.Op.Line}: {i.Op.Kind} returned {Errno.Name(actual)}, expected {Errno.Name(expected)}";

    /// <summary>print's {name}: the value of a parameter or variable (names were checked at load).</summary>
    public string Interpolate(string text) =>
        text.Contains('{', StringComparison.Ordinal)
            ? global::System.Text.RegularExpressions.Regex.Replace(text, @"\{([A-Za-z_][A-Za-z0-9_]*)\}", m =>
                (Thread.System.Parameters.TryGetValue(m.Groups[1].Value, out var p) ? p : Variable(m.Groups[1].Value)).ToString(CultureInfo.InvariantCulture))
            : text;

    /// <summary>The values of the variables an expression read, for a failed check's message.</summary>
    public string Explain(ScenarioExpr expr) =>
        string.Join(", ", Names(expr).Distinct().Select(n => $"{n} = {Variable(n).ToString(CultureInfo.InvariantCulture)}"));

    private static IEnumerable<string> Names(ScenarioExpr expr) => expr switch
    {
        ScenarioExpr.Var v => [v.Name],
        ScenarioExpr.Unary u => Names(u.Operand),
        ScenarioExpr.Binary b => Names(b.Left).Concat(Names(b.Right)),
        _ => [],
    };
}
