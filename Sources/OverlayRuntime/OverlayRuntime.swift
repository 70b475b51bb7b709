/// Effects of overlay: generations and the atomic switch, locks, the managed crontab,
/// processes. Depends on OverlayCore for the rendered target state.
public enum OverlayRuntime {}
