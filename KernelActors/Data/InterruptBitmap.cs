using System.Collections;
using System.Numerics;

namespace H2Sim.KernelActors.Data;

/// <summary>
/// One pending bit per hardware interrupt number, MAX_INTERRUPTS = 512 of them (h2-domain.md §1):
/// raising a pending interrupt again coalesces. Enumerates in ascending number (lowest first).
/// </summary>
public sealed class InterruptBitmap : IEnumerable<int>
{
    private readonly ulong[] words = new ulong[KernelConstants.MaxInterrupts / 64];

    public bool IsEmpty => NextAtOrAbove(0) < 0;

    public bool Contains(int intno) => (words[intno >> 6] & (1UL << (intno & 63))) != 0;

    public void Add(int intno) => words[intno >> 6] |= 1UL << (intno & 63);

    public void Remove(int intno) => words[intno >> 6] &= ~(1UL << (intno & 63));

    /// <summary>The lowest pending number at or above <paramref name="from"/>, or -1 (no allocation, unlike enumerating).</summary>
    public int NextAtOrAbove(int from)
    {
        for (var w = from >> 6; w < words.Length && from < KernelConstants.MaxInterrupts; w++)
        {
            var bits = words[w] & (ulong.MaxValue << (w == from >> 6 ? from & 63 : 0));
            if (bits != 0)
            {
                return (w * 64) + BitOperations.TrailingZeroCount(bits);
            }
        }

        return -1;
    }

    public IEnumerator<int> GetEnumerator()
    {
        for (var w = 0; w < words.Length; w++)
        {
            var bits = words[w];
            while (bits != 0)
            {
                yield return (w * 64) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
