namespace H2Sim.KernelActors.Data;

/// <summary>
/// A VM's guest memory: 64-bit words by address. The VM's objects are allocated upwards from its
/// slot's base, so aligned words of the slot live in 4 KiB pages allocated on first write (reads
/// of an unwritten word give 0); any other address (unaligned, or outside the slot, as a wild
/// futex pointer can be) is kept by exact address in a dictionary, so every address reads back
/// what was written to it.
/// </summary>
public sealed class GuestMemory(long baseAddress)
{
    private const int PageShift = 12;
    private const int WordsPerPage = 1 << (PageShift - 3);

    private long[]?[] pages = new long[]?[4];
    private Dictionary<long, long>? elsewhere;

    /// <summary>Pages and wild words stored so far: how far this memory has grown (a benchmark's measure of structure, not the guest's).</summary>
    public int Allocations { get; private set; }

    public long Read(long address)
    {
        if (PageOf(address, out var page, out var word))
        {
            return page < pages.Length && pages[page] is { } words ? words[word] : 0;
        }

        return elsewhere is not null && elsewhere.TryGetValue(address, out var value) ? value : 0;
    }

    public void Write(long address, long value)
    {
        if (PageOf(address, out var page, out var word))
        {
            if (page >= pages.Length)
            {
                Array.Resize(ref pages, Math.Max(page + 1, pages.Length * 2));
            }

            if (pages[page] is null)
            {
                pages[page] = new long[WordsPerPage];
                Allocations++;
            }

            pages[page]![word] = value;
            return;
        }

        elsewhere ??= new Dictionary<long, long>();
        if (elsewhere.TryAdd(address, value))
        {
            Allocations++;
            return;
        }

        elsewhere[address] = value;
    }

    private bool PageOf(long address, out int page, out int word)
    {
        var offset = address - baseAddress;
        if ((offset & 7) != 0 || (ulong)offset >= VmBlock.MemoryBytesPerSlot)
        {
            page = word = 0;
            return false;
        }

        page = (int)(offset >> PageShift);
        word = (int)((offset & ((1 << PageShift) - 1)) >> 3);
        return true;
    }
}
