using System.Collections;

namespace H2Sim.KernelActors.Data;

/// <summary>
/// A walk round a ring of contexts from its head (<see cref="Ring.Enumerate"/>): a struct, so a
/// foreach over an empty ready level or futex bucket costs no allocation. A ring that does not
/// close within 2^20 steps, or has a hole, is a broken kernel invariant.
/// </summary>
public readonly struct RingWalk(ThreadContext? head) : IEnumerable<ThreadContext>
{
    public Enumerator GetEnumerator() => new(head);

    IEnumerator<ThreadContext> IEnumerable<ThreadContext>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(ThreadContext? head) : IEnumerator<ThreadContext>
    {
        private ThreadContext? node;
        private int stepsLeft = 1 << 20;

        public readonly ThreadContext Current => node!;

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (head is null)
            {
                return false;
            }

            if (node is null)
            {
                node = head;
                return true;
            }

            node = node.Next ?? throw new KernelInvariantException("ring-membership", $"broken ring at {node}");
            if (--stepsLeft == 0)
            {
                throw new KernelInvariantException("ring-membership", "ring does not close");
            }

            return node != head;
        }

        public void Reset() => node = null;

        public readonly void Dispose()
        {
        }
    }
}
