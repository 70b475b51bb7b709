/// Placeholder so the empty target builds on this branch (other branches fill it).
enum RuntimePlaceholder {}
