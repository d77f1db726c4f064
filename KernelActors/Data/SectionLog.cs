namespace H2Sim.KernelActors.Data;

/// <summary>
/// The contexts a critical section changed (status or place), each once: what the end-of-section
/// check looks at, so its cost follows the section's work and not the size of the system.
/// </summary>
public sealed class SectionLog
{
    private ThreadContext[] contexts = new ThreadContext[64];

    /// <summary>The current section's number; a context logged in an earlier one is logged again.</summary>
    public long Section { get; private set; }

    public int Count { get; private set; }

    public ThreadContext this[int index] => contexts[index];

    public void Add(ThreadContext context)
    {
        if (context.TouchedInSection == Section)
        {
            return;
        }

        context.TouchedInSection = Section;
        if (Count == contexts.Length)
        {
            Array.Resize(ref contexts, contexts.Length * 2);
        }

        contexts[Count++] = context;
    }

    /// <summary>A new section starts: the log is empty.</summary>
    public void Next()
    {
        Array.Clear(contexts, 0, Count);
        Count = 0;
        Section++;
    }
}
