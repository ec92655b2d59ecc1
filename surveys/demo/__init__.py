"""Demo data for Pemerintah Kota Kupang, simulated from a stated model with known effects.

- `truth`: the model, every parameter and the true effects, as data, with the true expected
  officer scores and unit IKMs computed in closed form.
- `generate`: deterministic synthetic responses from that model (pure, no database).
- `load`: the idempotent loader `load_demo(session, today, seed)` and the demo accounts.
"""
