using H2Sim.HwThreadActors.Pthread;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Pthread;

/// <summary>
/// The pthread layer of h2-domain.md §9, run as a guest on the real kernel model: each primitive
/// through the traps the library uses, observed from the guest's output and the trace.
/// </summary>
public sealed class PthreadLayerTests
{
    public static TheoryData<KernelVariant> Kernels => new(KernelVariants.All);

    [Fact]
    public void Mutex_contention_boosts_the_low_priority_owner_in_the_trace_and_unlock_restores_it()
    {
        const string yaml = """
            vms:
              - name: test
                objects:
                  m: mutex
                  low_attr: attr
                  high_attr: attr
                  locked: sem
                  release: sem
                threads:
                  main:
                    - attr_init: low_attr
                    - attr_set: {attr: low_attr, field: priority, value: 150}
                    - attr_init: high_attr
                    - attr_set: {attr: high_attr, field: priority, value: 50}
                    - create: {thread: low, id: lo, attr: low_attr}
                    - sem_wait: locked
                    - create: {thread: high, id: hi, attr: high_attr}
                    - spin: 100000
                    - sem_post: release
                    - join: {id: hi, expect: 0}
                    - join: {id: lo, expect: 0}
                    - print: "ids {lo} {hi}"
                    - print: TEST PASSED
                  low:
                    - mutex_lock: m
                    - sem_post: locked
                    - sem_wait: release
                    - mutex_unlock: m
                  high:
                    - mutex_lock: m
                    - mutex_unlock: m
            """;
        var notes = new KindObserver(EventKinds.KernelNote);

        var run = ScenarioTestSupport.Run(yaml, observer: notes);

        Assert.Equal("PASS", run.Verdict.Kind);
        var ids = ScenarioTestSupport.Printed(run).Single(p => p.StartsWith("ids ", StringComparison.Ordinal)).Split(' ');
        var low = long.Parse(ids[1], System.Globalization.CultureInfo.InvariantCulture);
        var lowPriorities = notes.Events.Where(e => e.A == (long)KernelNote.PrioChanged && e.B == low).Select(e => e.C).ToList();
        // Boosted to the waiter's 50 while it holds m, back to its base 150 by unlock_pi. (Later
        // boosts, if any, come from main contending on the library's own locks as low exits.)
        Assert.Equal([50L, 150L], lowPriorities.Take(2));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Cond_signal_wakes_exactly_one_waiter_and_broadcast_the_rest(KernelVariant kernel)
    {
        const string yaml = """
            vms:
              - name: test
                objects: {m: mutex, c: cond, woken: word}
                threads:
                  main:
                    - create: {thread: waiter, id: w1}
                    - create: {thread: waiter, id: w2}
                    - create: {thread: waiter, id: w3}
                    - create: {thread: waiter, id: w4}
                    - spin: 1000000
                    - mutex_lock: m
                    - cond_signal: c
                    - mutex_unlock: m
                    - spin: 1000000
                    - load: {word: woken, save: a}
                    - print: "after signal {a}"
                    - mutex_lock: m
                    - cond_broadcast: c
                    - mutex_unlock: m
                    - join: w1
                    - join: w2
                    - join: w3
                    - join: w4
                    - load: {word: woken, save: b}
                    - print: "after broadcast {b}"
                  waiter:
                    - mutex_lock: m
                    - cond_wait: {cond: c, mutex: m}
                    - fetch_add: {word: woken, add: 1}
                    - mutex_unlock: m
            """;

        var run = ScenarioTestSupport.Run(yaml, kernel);

        Assert.Equal("exit", run.Report.OutcomeKind);
        Assert.Equal(["after signal 1", "after broadcast 4"], ScenarioTestSupport.Printed(run));
    }

    [Fact]
    public void Sem_post_saturates_at_0x7fff_and_refuses_the_rest_with_eoverflow()
    {
        const string yaml = """
            vms:
              - name: test
                objects: {s: sem}
                threads:
                  main:
                    - set: {var: refused, value: 0}
                    - repeat:
                        times: 0x7fff + 5
                        do:
                          - sem_post: {sem: s, save: rc}
                          - if: {that: rc == EOVERFLOW, then: [{set: {var: refused, value: refused + 1}}]}
                    - sem_getvalue: {sem: s, save: v}
                    - print: "value {v} refused {refused}"
            """;

        var run = ScenarioTestSupport.Run(yaml);

        Assert.Equal([$"value {H2Sem.ValueMax} refused 5"], ScenarioTestSupport.Printed(run));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Barrier_returns_serial_to_exactly_one_waiter_per_round(KernelVariant kernel)
    {
        const string yaml = """
            vms:
              - name: test
                objects: {b: {barrier: 4}, one: {barrier: 1}}
                threads:
                  main:
                    - create: {thread: worker, id: w1}
                    - create: {thread: worker, id: w2}
                    - create: {thread: worker, id: w3}
                    - create: {thread: worker, id: w4}
                    - join: w1
                    - join: w2
                    - join: w3
                    - join: w4
                    - barrier_wait: {barrier: one, save: r}
                    - print: "count-1 barrier {r}"
                  worker:
                    - set: {var: round, value: 0}
                    - repeat:
                        times: 3
                        do:
                          - barrier_wait: {barrier: b, save: r}
                          - set: {var: round, value: round + 1}
                          - if: {that: r == SERIAL, then: [{print: "serial in round {round}"}]}
            """;

        var run = ScenarioTestSupport.Run(yaml, kernel);

        var printed = ScenarioTestSupport.Printed(run);
        Assert.Equal(["serial in round 1", "serial in round 2", "serial in round 3"], printed.Where(p => p.StartsWith("serial", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains($"count-1 barrier {Errno.BarrierSerialThread}", printed);
    }

    [Fact]
    public void Join_and_detach_report_esrch_and_einval()
    {
        const string yaml = """
            vms:
              - name: test
                objects: {park: sem}
                threads:
                  main:
                    - join: {id: 12345, save: join_unknown}
                    - detach: {id: 12345, save: detach_unknown}
                    - create: {thread: parker, id: p, detached: 1}
                    - join: {id: p, save: join_detached}
                    - detach: {id: p, save: detach_twice}
                    - sem_post: park
                    - create: {thread: quick, id: q}
                    - join: {id: q, save: first_join, retval: rv}
                    - join: {id: q, save: second_join}
                    - print: "{join_unknown} {detach_unknown} {join_detached} {detach_twice} {first_join} {rv} {second_join}"
                  parker:
                    - sem_wait: park
                  quick:
                    - return: 42
            """;

        var run = ScenarioTestSupport.Run(yaml);

        Assert.Equal([$"{Errno.Esrch} {Errno.Esrch} {Errno.Einval} {Errno.Einval} 0 42 {Errno.Esrch}"], ScenarioTestSupport.Printed(run));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Tls_destructors_run_once_per_thread_with_a_non_null_value(KernelVariant kernel)
    {
        const string yaml = """
            vms:
              - name: test
                objects: {k: key, runs: word}
                threads:
                  main:
                    - key_create: {key: k, destructor: destructor, expect: 0}
                    - create: {thread: worker, id: w1, arg: 11}
                    - create: {thread: worker, id: w2, arg: 22}
                    - create: {thread: worker, id: w3, arg: 33}
                    - create: {thread: worker, id: w4, arg: 0}
                    - join: w1
                    - join: w2
                    - join: w3
                    - join: w4
                    - load: {word: runs, save: n}
                    - print: "destructors {n}"
                  worker:
                    - setspecific: {key: k, value: arg}
                    - getspecific: {key: k, expect: arg}
                  destructor:
                    - fetch_add: {word: runs, add: 1}
                    - print: "destructor {arg}"
            """;

        var run = ScenarioTestSupport.Run(yaml, kernel);

        var printed = ScenarioTestSupport.Printed(run);
        Assert.Equal("destructors 3", printed.Last());
        Assert.Equal(["destructor 11", "destructor 22", "destructor 33"], printed.Where(p => p.StartsWith("destructor ", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Pthread_exit_from_main_leaves_the_vm_running(KernelVariant kernel)
    {
        const string yaml = """
            vms:
              - name: test
                threads:
                  main:
                    - create: {thread: worker, id: w, detached: 1}
                    - pthread_exit: 0
                  worker:
                    - spin: 100000
                    - vmop_status: {what: cpus, vm: 0, save: cpus}
                    - print: "worker runs after main left; live cpus {cpus}"
                    - print: TEST PASSED
            """;

        var run = ScenarioTestSupport.Run(yaml, kernel);

        // VMOP_STATUS on SELF (vm 0) exists from [K] on; [B] and [P] read vmblocks[0], which is NULL: -1.
        Assert.Equal("PASS", run.Verdict.Kind);
        var cpus = kernel is KernelVariant.Master or KernelVariant.Review ? "1" : "-1";
        Assert.Contains($"worker runs after main left; live cpus {cpus}", ScenarioTestSupport.Printed(run));
        Assert.Equal(0, run.Report.Vms.Single().Status);
    }
}
