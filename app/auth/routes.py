"""Auth routes (being written)."""
