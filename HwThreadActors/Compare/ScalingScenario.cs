using System.Globalization;
using H2Sim.Core.Input;

namespace H2Sim.HwThreadActors.Compare;

/// <summary>
/// The scaling scenario of `h2sim compare`: one VM of N vCPUs. main creates N−1 pthreads, three of
/// every four blocked on a never-posted sem (BLOCKED in FUTEX_WAIT) and the fourth in a spin/yield
/// loop (RUNNING or READY), settles, prints TEST PASSED and returns (exit(0)). How teardown latency
/// and the longest BKL hold grow with N is the figure. N is a multiple of 4 from 8 to 65536.
/// </summary>
public static class ScalingScenario
{
    public static string Name(int vcpus) => string.Create(CultureInfo.InvariantCulture, $"scaling_{vcpus}");

    public static string Yaml(int vcpus)
    {
        if (vcpus is < 8 or > 65536 || vcpus % 4 != 0)
        {
            throw new InputException($"scaling: vCPU counts are multiples of 4 from 8 to 65536, got {vcpus}");
        }

        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv, $$$"""
            # h2sim compare's scaling scenario: one VM of {{{vcpus}}} vCPUs, main plus {{{vcpus - 1}}} pthreads
            # (3 of every 4 BLOCKED on a never-posted sem, 1 in a spin/yield loop), then exit(0).
            scenario: {{{Name(vcpus)}}}
            description: teardown of one VM of {{{vcpus}}} vCPUs with blocked and running pthreads
            horizon: 50_000_000
            vms:
              - name: test
                max_cpus: {{{vcpus}}}
                objects: {never: sem}
                threads:
                  main:
                    - repeat: {times: {{{(vcpus / 4) - 1}}}, do: [{create: {thread: blocker}}, {create: {thread: blocker}}, {create: {thread: blocker}}, {create: {thread: spinner}}]}
                    - create: {thread: blocker}
                    - create: {thread: blocker}
                    - create: {thread: spinner}
                    - spin: 20000
                    - print: TEST PASSED
                    - return: 0
                  blocker:
                    - sem_wait: never
                  spinner:
                    - forever: [{spin: 2000}, yield]
            """);
    }
}
