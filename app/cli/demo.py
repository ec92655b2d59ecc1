"""`flask demo load`: idempotent demo data (placeholder, being written)."""
