using System.Diagnostics;

namespace H2Sim.Cluster.Nodes;

/// <summary>
/// The worker processes of `--nodes N`: N−1 `h2sim node --attached` processes of this binary on
/// this machine. A worker stops when its standard input closes — when <see cref="Stop"/> closes
/// it, and also when this process dies in any way, since the OS closes the pipe — so workers
/// never outlive their launcher. Their output is kept (the last lines) for error messages; it
/// never reaches this process's stdout.
/// </summary>
public sealed class LocalWorkers : IDisposable
{
    private const int OutputLinesKept = 40;

    private readonly List<Worker> workers = new();
    private readonly TaskCompletionSource<Worker> firstUnexpectedExit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool stopping;

    private LocalWorkers()
    {
    }

    /// <summary>Completes with a description (exit code, last output) when a worker exits before <see cref="Stop"/>.</summary>
    public Task<string> UnexpectedExit => firstUnexpectedExit.Task.ContinueWith(t => t.Result.Describe(), TaskScheduler.Default);

    public int Count => workers.Count;

    public IReadOnlyList<int> ProcessIds => workers.Select(w => w.Process.Id).ToList();

    public static LocalWorkers Start(int count, NodeLaunchCommand command, string hostname, string seedHostPort)
    {
        var result = new LocalWorkers();
        try
        {
            for (var i = 1; i <= count; i++)
            {
                result.workers.Add(result.StartOne(i, command, hostname, seedHostPort));
            }
        }
        catch
        {
            result.Stop(TimeSpan.Zero);
            throw;
        }

        return result;
    }

    /// <summary>
    /// Closes every worker's stdin (each leaves the cluster and exits), waits up to
    /// <paramref name="grace"/> for all, then kills any still running. Never throws.
    /// </summary>
    public void Stop(TimeSpan grace)
    {
        if (stopping)
        {
            return;
        }

        stopping = true;
        foreach (var worker in workers)
        {
            try
            {
                worker.Process.StandardInput.Close();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // Already gone.
            }
        }

        var deadline = Stopwatch.StartNew();
        foreach (var worker in workers)
        {
            var left = grace - deadline.Elapsed;
            if (!worker.Process.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                try
                {
                    worker.Process.Kill(entireProcessTree: true);
                    worker.Process.WaitForExit(TimeSpan.FromSeconds(5));
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Exited meanwhile.
                }
            }
        }
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(10));
        foreach (var worker in workers)
        {
            worker.Process.Dispose();
        }
    }

    private Worker StartOne(int index, NodeLaunchCommand command, string hostname, string seedHostPort)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments(hostname, seedHostPort))
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new Worker(index, process);
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        process.Exited += (_, _) =>
        {
            if (!stopping)
            {
                firstUnexpectedExit.TrySetResult(worker);
            }
        };
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start worker node {index}: {command.FileName}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    private sealed class Worker(int index, Process process)
    {
        private readonly Queue<string> lastLines = new();

        public Process Process { get; } = process;

        public void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lastLines)
            {
                lastLines.Enqueue(line);
                if (lastLines.Count > OutputLinesKept)
                {
                    lastLines.Dequeue();
                }
            }
        }

        public string Describe()
        {
            // Exited fires before the output pipes drain; this overload waits for them too.
            Process.WaitForExit();
            string output;
            lock (lastLines)
            {
                output = string.Join(Environment.NewLine, lastLines);
            }

            var code = Process.HasExited ? Process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
            return $"worker node {index} (pid {Process.Id}) exited with code {code}" + (output.Length == 0 ? string.Empty : $"; its last output:{Environment.NewLine}{output}");
        }
    }
}
