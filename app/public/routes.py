"""Public routes (being written)."""
