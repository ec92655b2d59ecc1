"""`flask users create USERNAME --role ROLE [--unit CODE] [--nip NIP] [--password-stdin]`: the
first administrator of an empty database (no default password exists outside the demo), and any
account later (DESIGN §7)."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from app.admin.people_forms import refusal_message
from app.cli import bp
from app.extensions import db
from surveys.errors import AccountRefused
from surveys.models import ROLES
from surveys.organization import people

users = AppGroup("users", help="Akun admin, pengelola unit, pejabat penilai, dan pegawai.")
bp.cli.add_command(users)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Kata sandi", hide_input=True,
                        confirmation_prompt="Ulangi kata sandi")


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="Peran akun.")
@click.option("--unit", "unit_code", default="", help="Kode unit (wajib untuk unit_manager).")
@click.option("--nip", default="", help="NIP pegawai yang adalah orang ini (wajib untuk staff).")
@click.option("--evaluates", multiple=True,
              help="NIP pegawai yang dinilai (evaluator; boleh diulang).")
@click.option("--name", "display_name", default="", help="Nama lengkap (bawaan: USERNAME).")
@click.option("--password-stdin", is_flag=True,
              help="Baca kata sandi dari satu baris masukan standar, tanpa bertanya.")
def create(username: str, role: str, unit_code: str, nip: str, evaluates: tuple[str, ...],
           display_name: str, password_stdin: bool) -> None:
    """Membuat akun dengan satu peran; kata sandi ditanyakan dua kali."""
    password = _password(password_stdin)
    try:
        user = people.create_with_role(db.session, username=username, display_name=display_name,
                                       password=password, role=role, unit_code=unit_code,
                                       nip=nip, evaluates=evaluates)
    except AccountRefused as error:
        db.session.rollback()
        with force_locale("id"):
            raise click.ClickException(refusal_message(error)) from None
    db.session.commit()
    scopes = ", ".join(filter(None, (g.unit.code if g.unit else g.staff.nip if g.staff else None
                                     for g in user.grants)))
    click.echo(f"Akun '{user.username}' dibuat dengan peran {role}"
               + (f" ({scopes})." if scopes else "."))
