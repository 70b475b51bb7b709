/// How big an inventory overlay reads: a host range is counted before it is expanded,
/// so `bulk[0:99999999]` or `n[0:99][0:99][0:99][0:99][0:99]` is refused at once
/// (`inventory.host-limit`) instead of filling memory. Documented in docs/inventory.md.
public struct InventoryLimits: Sendable {
    /// Distinct hosts in one inventory.
    public var maxHosts = 100_000
    /// Host names listed, ranges counted expanded: a host may be listed in several groups,
    /// but re-listing a large range many times would cost as much as that many hosts.
    public var maxHostEntries = 1_000_000
    /// Bytes of host names listed (a range of long names multiplies its key's length).
    public var maxNameBytes = 64 * 1_048_576

    /// The limits every command uses.
    public static let standard = InventoryLimits()
}
