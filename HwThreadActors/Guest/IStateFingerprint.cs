namespace H2Sim.HwThreadActors.Guest;

/// <summary>
/// A guest-side object with state of its own (a scenario body's activation: where it is, its
/// locals) that a frame refers to: it adds that state to a state fingerprint, so equal states hash
/// equal. An object without it hashes by identity (safe: such states never merge).
/// </summary>
public interface IStateFingerprint
{
    void Fingerprint(ref System.StateHasher h);
}
