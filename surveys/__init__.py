"""The survey domain: models, the SKM instrument, validation and use cases.

Never imports the web layer (`app`); statistics come from `analysis`.
"""
