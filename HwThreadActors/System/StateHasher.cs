namespace H2Sim.HwThreadActors.System;

/// <summary>
/// A 64-bit running hash for state fingerprints (exhaustive exploration skips repeated states):
/// order-sensitive Add for sequences, order-free AddUnordered for sets whose iteration order
/// carries no meaning. Strings hash by FNV-1a, never by string.GetHashCode (randomised per process).
/// </summary>
public struct StateHasher
{
    private ulong value;
    private ulong unordered;

    public void Add(long x) => value = Mix(value ^ (ulong)x) + 0x9E3779B97F4A7C15UL;

    public void Add(string? text) => Add((long)Fnv(text));

    /// <summary>Adds one element of a set: the result does not depend on the order of the elements.</summary>
    public void AddUnordered(long a, long b = 0, long c = 0) => unordered += Mix(Mix(Mix((ulong)a) ^ (ulong)b) ^ (ulong)c);

    public readonly ulong Value => Mix(value ^ Mix(unordered));

    public static ulong Fnv(string? text)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var ch in text ?? string.Empty)
        {
            h = (h ^ ch) * 0x100000001B3UL;
        }

        return h;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
