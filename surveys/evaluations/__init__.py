"""Evaluation records (SKP) and what feeds them: citizen evidence snapshots, the predikat,
keberatan, objections to responses, co-worker rounds and IKU targets (DESIGN §5)."""
