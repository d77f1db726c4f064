namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// errno values the H2 pthread library returns (newlib numbering, as H2's libc uses), and
/// PTHREAD_BARRIER_SERIAL_THREAD. Names are what scenario files write (`expect: ESRCH`).
/// </summary>
public static class Errno
{
    public const long Ok = 0;
    public const long Eperm = 1;
    public const long Esrch = 3;
    public const long Eagain = 11;
    public const long Ebusy = 16;
    public const long Einval = 22;
    public const long Edeadlk = 45;
    public const long Enosys = 88;
    public const long Etimedout = 116;
    public const long Enotsup = 134;
    public const long Eoverflow = 139;

    /// <summary>PTHREAD_BARRIER_SERIAL_THREAD: what exactly one waiter per round gets back.</summary>
    public const long BarrierSerialThread = -1;

    public static readonly IReadOnlyDictionary<string, long> ByName = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["EPERM"] = Eperm,
        ["ESRCH"] = Esrch,
        ["EAGAIN"] = Eagain,
        ["EBUSY"] = Ebusy,
        ["EINVAL"] = Einval,
        ["EDEADLK"] = Edeadlk,
        ["ENOSYS"] = Enosys,
        ["ETIMEDOUT"] = Etimedout,
        ["ENOTSUP"] = Enotsup,
        ["EOVERFLOW"] = Eoverflow,
        ["SERIAL"] = BarrierSerialThread,
        ["NULL"] = 0,
    };

    public static string Name(long value) =>
        value == 0 ? "0" : ByName.FirstOrDefault(e => e.Value == value && e.Key != "NULL").Key ?? value.ToString(global::System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// An out-parameter for guest routines (C# iterators cannot return values): the return code or
/// the value a call produced, read by the caller after the routine's Call finished.
/// </summary>
public sealed class Out
{
    public long Value { get; set; }
}
