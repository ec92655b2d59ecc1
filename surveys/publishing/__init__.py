"""Publishing a unit's results: frozen, versioned, suppressed snapshots (DESIGN §6)."""
