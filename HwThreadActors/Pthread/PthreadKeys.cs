using H2Sim.HwThreadActors.Guest;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// TLS keys (h2-domain.md §9): 64 keys (PTHREAD_KEYS_MAX), a valid bitmap and a destructor table
/// under a plainmutex. The per-thread value table hangs off the TCB and is allocated lazily;
/// get/setspecific do not validate the key (a deleted key still works). pthread_exit runs the
/// destructor of every valid key whose value is non-NULL.
/// </summary>
public static class PthreadKeys
{
    public const int KeysMax = 64;

    public static IEnumerable<GuestAction> Create(GuestThread t, long outKey, long destructorPc, Out rc)
    {
        var process = PthreadProcess.Of(t);
        yield return Spin(t.System.Costs.GuestCallCycles);
        yield return Call(PlainMutex.Lock(t, process.KeyLock));
        var valid = t.Load(process.KeysValid);
        var key = Enumerable.Range(0, KeysMax).FirstOrDefault(k => (valid & (1L << k)) == 0, -1);
        if (key < 0)
        {
            rc.Value = Errno.Eagain;
        }
        else
        {
            t.Store(process.KeysValid, valid | (1L << key));
            t.Store(process.KeyDestructors + (8L * key), destructorPc);
            t.Store(outKey, key);
            rc.Value = Errno.Ok;
        }

        yield return Call(PlainMutex.Unlock(t, process.KeyLock));
    }

    public static IEnumerable<GuestAction> Delete(GuestThread t, long key, Out rc)
    {
        var process = PthreadProcess.Of(t);
        yield return Spin(t.System.Costs.GuestCallCycles);
        if (key is < 0 or >= KeysMax)
        {
            rc.Value = Errno.Einval;
            yield break;
        }

        yield return Call(PlainMutex.Lock(t, process.KeyLock));
        t.Store(process.KeysValid, t.Load(process.KeysValid) & ~(1L << (int)key));
        t.Store(process.KeyDestructors + (8L * key), 0);
        yield return Call(PlainMutex.Unlock(t, process.KeyLock));
        rc.Value = Errno.Ok;
    }

    /// <summary>pthread_setspecific: no validation of the key; the table is allocated on first use.</summary>
    public static long Set(GuestThread t, long key, long value)
    {
        var table = Table(t, PthreadThread.SelfTcb(t));
        t.Store(table + (8L * (key & (KeysMax - 1))), value);
        return Errno.Ok;
    }

    public static long Get(GuestThread t, long key)
    {
        var tcb = PthreadThread.SelfTcb(t);
        var table = t.Load(tcb + PthreadThread.TcbKeyTable);
        return table == 0 ? 0 : t.Load(table + (8L * (key & (KeysMax - 1))));
    }

    /// <summary>The destructor pass of pthread_exit: each valid key with a destructor and a non-NULL value.</summary>
    public static IEnumerable<GuestAction> RunDestructors(GuestThread t, long tcb)
    {
        var process = PthreadProcess.Of(t);
        var table = t.Load(tcb + PthreadThread.TcbKeyTable);
        if (table == 0)
        {
            yield break;
        }

        for (var key = 0; key < KeysMax; key++)
        {
            var destructor = t.Load(process.KeyDestructors + (8L * key));
            var value = t.Load(table + (8L * key));
            if ((t.Load(process.KeysValid) & (1L << key)) == 0 || destructor == 0 || value == 0)
            {
                continue;
            }

            t.Store(table + (8L * key), 0);
            yield return Spin(t.System.Costs.GuestCallCycles);
            yield return Call(PthreadRoutines.At(t, destructor)(t, value, new Out()));
        }
    }

    private static long Table(GuestThread t, long tcb)
    {
        var table = t.Load(tcb + PthreadThread.TcbKeyTable);
        if (table == 0)
        {
            var process = PthreadProcess.Of(t);
            table = t.Address($"pthread.keytable#{process.NextTcbNumber++}@{process.Boot}", KeysMax);
            t.Store(tcb + PthreadThread.TcbKeyTable, table);
        }

        return table;
    }
}

/// <summary>
/// pthread_attr_* (pure library code, no traps): detach state, stack size (0 is accepted and
/// stored), priority; scheduling policy and inherit-scheduler are ENOTSUP.
/// </summary>
public static class PthreadAttr
{
    public const int Words = 3;
    public const long DetachState = 0;
    public const long StackSize = 8;
    public const long Priority = 16;

    public static IReadOnlyList<string> Fields { get; } = ["detachstate", "stacksize", "priority", "schedpolicy", "inheritsched"];

    public static void Init(GuestThread t, long attr)
    {
        t.Store(attr + DetachState, 0);
        t.Store(attr + StackSize, PthreadThread.DefaultStackSize);
        t.Store(attr + Priority, H2Sim.KernelActors.Data.KernelConstants.DefaultPthreadPrio);
    }

    public static long Get(GuestThread t, long attr, long field) => t.Load(attr + field);

    /// <summary>Sets a field by name; the return code of the pthread_attr_set* call.</summary>
    public static long Set(GuestThread t, long attr, string field, long value)
    {
        switch (field)
        {
            case "detachstate" when value is 0 or 1:
                t.Store(attr + DetachState, value);
                return Errno.Ok;
            case "stacksize":
                t.Store(attr + StackSize, value);
                return Errno.Ok;
            case "priority":
                t.Store(attr + Priority, value);
                return Errno.Ok;
            case "schedpolicy" or "inheritsched":
                return Errno.Enotsup;
            default:
                return Errno.Einval;
        }
    }

    /// <summary>Gets a field by name: (return code, value).</summary>
    public static (long Rc, long Value) Read(GuestThread t, long attr, string field) => field switch
    {
        "detachstate" => (Errno.Ok, t.Load(attr + DetachState)),
        "stacksize" => (Errno.Ok, t.Load(attr + StackSize)),
        "priority" => (Errno.Ok, t.Load(attr + Priority)),
        "schedpolicy" or "inheritsched" => (Errno.Enotsup, 0),
        _ => (Errno.Einval, 0),
    };
}
