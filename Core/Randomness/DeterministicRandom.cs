namespace H2Sim.Core.Randomness;

/// <summary>
/// xoshiro256** seeded through SplitMix64 from (run seed, actor, purpose): the only randomness
/// a model may use (architecture.md §4). A mutable struct so per-actor generators live in arrays
/// without allocation; pass it by ref.
/// </summary>
public struct DeterministicRandom
{
    private ulong s0;
    private ulong s1;
    private ulong s2;
    private ulong s3;

    public DeterministicRandom(ulong runSeed, ulong actor, RandomPurpose purpose)
    {
        var x = runSeed ^ 0x9E3779B97F4A7C15UL;
        x = SplitMix(ref x) ^ (actor * 0xBF58476D1CE4E5B9UL);
        x = SplitMix(ref x) ^ ((ulong)purpose * 0x94D049BB133111EBUL);
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
        if ((s0 | s1 | s2 | s3) == 0)
        {
            s0 = 1;
        }
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, bound) without modulo bias worth caring about for bound &lt;&lt; 2^64.</summary>
    public ulong NextBelow(ulong bound) => bound == 0 ? 0 : (ulong)(((UInt128)NextUInt64() * bound) >> 64);

    /// <summary>Exponentially distributed with the given mean, rounded down to whole cycles.</summary>
    public ulong NextExponential(double mean) => (ulong)(-Math.Log(1.0 - NextDouble()) * mean);

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
