"""`flask skm compute FILE.csv`: the IKM of a CSV of responses (placeholder, being written)."""
