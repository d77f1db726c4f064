namespace H2Sim.KernelActors.Data;

/// <summary>
/// What the guest layer keeps per context (its registers and call stack beyond r0). The kernel
/// only ends it: clearing a context (H2K_thread_context_clear) releases it, so the guest layer
/// can reuse the storage for the next thread.
/// </summary>
public interface IGuestState
{
    void Release();
}
