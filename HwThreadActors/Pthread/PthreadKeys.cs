using H2Sim.HwThreadActors.Guest;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// TLS keys (libs/posix/pthread): 64 keys (PTHREAD_KEYS_MAX), a valid bitmap and a destructor table
/// under a plainmutex. The per-thread value table hangs off the TCB and is allocated lazily;
/// get/setspecific do not validate the key (a deleted key still works). pthread_exit runs the
/// destructor of every valid key whose value is non-NULL.
/// </summary>
public static class PthreadKeys
{
    public const int KeysMax = 64;

    /// <summary>pthread_key_create: the key is stored at <paramref name="outKey"/>; returns 0 or EAGAIN.</summary>
    public static GuestAction Create(long outKey, long destructorPc) => Invoke(CreateRoutine, outKey, destructorPc);

    /// <summary>pthread_key_delete: returns 0 or EINVAL.</summary>
    public static GuestAction Delete(long key) => Invoke(DeleteRoutine, key);

    /// <summary>The destructor pass of pthread_exit over the thread whose TCB is <paramref name="tcb"/>.</summary>
    public static GuestAction RunDestructors(long tcb) => Invoke(RunDestructorsRoutine, tcb);

    private static GuestAction CreateRoutine(GuestThread t, ref GuestFrame f)
    {
        var process = PthreadProcess.Of(t);
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
            case 1:
                return f.Then(2, PlainMutex.Lock(process.KeyLock));
            case 2:
                var valid = t.Load(process.KeysValid);
                var key = FirstFree(valid);
                if (key < 0)
                {
                    f.L0 = Errno.Eagain;
                }
                else
                {
                    t.Store(process.KeysValid, valid | (1L << key));
                    t.Store(process.KeyDestructors + (8L * key), f.A1);
                    t.Store(f.A0, key);
                    f.L0 = Errno.Ok;
                }

                return f.Then(3, PlainMutex.Unlock(process.KeyLock));
            default:
                return Return(f.L0);
        }
    }

    private static int FirstFree(long valid)
    {
        for (var key = 0; key < KeysMax; key++)
        {
            if ((valid & (1L << key)) == 0)
            {
                return key;
            }
        }

        return -1;
    }

    private static GuestAction DeleteRoutine(GuestThread t, ref GuestFrame f)
    {
        var process = PthreadProcess.Of(t);
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
            case 1 when f.A0 is < 0 or >= KeysMax:
                return Return(Errno.Einval);
            case 1:
                return f.Then(2, PlainMutex.Lock(process.KeyLock));
            case 2:
                t.Store(process.KeysValid, t.Load(process.KeysValid) & ~(1L << (int)f.A0));
                t.Store(process.KeyDestructors + (8L * f.A0), 0);
                return f.Then(3, PlainMutex.Unlock(process.KeyLock));
            default:
                return Return(Errno.Ok);
        }
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

    /// <summary>
    /// Each valid key with a destructor and a non-NULL value: the value is cleared, the destructor
    /// called with it. A0 the TCB; L0 its key table, L1 the key, L2 the destructor, L3 the value.
    /// </summary>
    private static GuestAction RunDestructorsRoutine(GuestThread t, ref GuestFrame f)
    {
        var process = PthreadProcess.Of(t);
        switch (f.Pc)
        {
            case 0:
                f.L0 = t.Load(f.A0 + PthreadThread.TcbKeyTable);
                if (f.L0 == 0)
                {
                    return Return();
                }

                f.L1 = -1;
                goto case 3;
            case 1:
                return f.Then(2, t.System.Programs.At(f.L2).Start(t, f.L3));
            case 2:
            case 3:
                for (f.L1++; f.L1 < KeysMax; f.L1++)
                {
                    f.L2 = t.Load(process.KeyDestructors + (8L * f.L1));
                    f.L3 = t.Load(f.L0 + (8L * f.L1));
                    if ((t.Load(process.KeysValid) & (1L << (int)f.L1)) != 0 && f.L2 != 0 && f.L3 != 0)
                    {
                        t.Store(f.L0 + (8L * f.L1), 0);
                        return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
                    }
                }

                return Return();
            default:
                return Return();
        }
    }

    private static long Table(GuestThread t, long tcb)
    {
        var table = t.Load(tcb + PthreadThread.TcbKeyTable);
        if (table == 0)
        {
            table = t.Allocate(KeysMax);
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
