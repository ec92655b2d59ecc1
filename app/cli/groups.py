"""Command groups shared by several CLI modules (each module adds its own commands)."""
from flask.cli import AppGroup

responses = AppGroup(
    "responses",
    help="Respons survei: impor kuesioner kertas, ekspor CSV, pemeriksaan kecurangan.",
)
