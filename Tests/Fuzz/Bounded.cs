namespace H2Sim.Tests.Fuzz;

/// <summary>
/// Runs one fuzz case with a wall bound: a case still running past it is a hang, and fails the
/// property (the bound is generous: it tells a hang from a slow machine, it is not a performance
/// assertion).
/// </summary>
public static class Bounded
{
    public static readonly TimeSpan CaseBound = TimeSpan.FromSeconds(60);

    public static T Run<T>(Func<T> work, string what)
    {
        var task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // WaitAny does not throw; GetResult rethrows the case's own exception, unwrapped.
        return Task.WaitAny([task], CaseBound) == 0
            ? task.GetAwaiter().GetResult()
            : throw new TimeoutException($"hang: {what} still ran after {CaseBound.TotalSeconds:0}s");
    }
}
