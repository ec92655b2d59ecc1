"""The analysis method version that every result carries, so a frozen evaluation can say how it
was computed. Bump it whenever any estimator, interval or rule changes its numbers."""
from __future__ import annotations

METHOD = "suarawarga-analysis/2"
