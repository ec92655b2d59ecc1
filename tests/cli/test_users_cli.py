"""`flask users create`: the first admin of an empty database, then accounts of every role; the
password comes twice from the prompt or once from standard input, and a refusal exits non-zero."""
from __future__ import annotations

from sqlalchemy import select

from surveys.models import AuditEvent, User
from tests.auth.accounts import attempt
from tests.factories import make_unit

PASSWORD = "kata-sandi-pertama-1"


def user(db, username: str) -> User | None:
    db.session.expire_all()
    return db.session.scalars(select(User).where(User.username == username)).one_or_none()


def test_the_first_admin_from_stdin_can_sign_in(runner, db, client):
    result = runner.invoke(args=["users", "create", "kepala", "--role", "admin",
                                 "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    admin = user(db, "kepala")
    assert admin.has_role("admin") and not admin.must_change_password
    signed_in = attempt(client, "kepala", PASSWORD)
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == "/admin/"
    [row] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "create"))
    assert row.actor_label == "sistem" and PASSWORD not in repr(row.after)
    assert "password_hash" not in row.after


def test_the_prompt_asks_twice_and_refuses_a_mismatch(runner, db):
    mismatch = runner.invoke(args=["users", "create", "kepala", "--role", "admin"],
                             input=f"{PASSWORD}\nlain-lagi-123\n")
    assert mismatch.exit_code != 0 and user(db, "kepala") is None
    matched = runner.invoke(args=["users", "create", "kepala", "--role", "admin"],
                            input=f"{PASSWORD}\n{PASSWORD}\n")
    assert matched.exit_code == 0, matched.output
    assert user(db, "kepala").check_password(PASSWORD)


def test_manager_evaluator_and_staff_get_their_scopes(runner, db):
    unit = make_unit(db.session)
    first, second = unit.officers

    def create(*args):
        result = runner.invoke(args=["users", "create", *args, "--password-stdin"],
                               input=PASSWORD + "\n")
        assert result.exit_code == 0, result.output

    create("manajer.uji", "--role", "unit_manager", "--unit", "dukcapil")
    create("penilai.uji", "--role", "evaluator", "--nip", first.nip, "--evaluates", second.nip,
           "--evaluates", unit.other_unit_officer.nip)
    create("petugas.uji", "--role", "staff", "--nip", second.nip)
    assert [(g.role, g.unit_id) for g in user(db, "manajer.uji").grants] == [
        ("unit_manager", unit.unit.id)]
    evaluator = user(db, "penilai.uji")
    assert evaluator.staff_id == first.id
    assert [g.staff_id for g in evaluator.grants] == [second.id, unit.other_unit_officer.id]
    staff = user(db, "petugas.uji")
    assert staff.staff_id == second.id and [g.role for g in staff.grants] == ["staff"]


def test_refusals_exit_non_zero_with_a_message_and_store_nothing(runner, db):
    make_unit(db.session)
    cases = [
        (["bos", "--role", "admin"], "pendek", "paling sedikit 10 karakter"),
        (["bos.besar", "--role", "unit_manager", "--unit", "tidak-ada"], PASSWORD,
         "Pilih unit"),
        (["bos.besar", "--role", "staff"], PASSWORD, "Isi NIP pegawai"),
        (["bos.besar", "--role", "evaluator", "--evaluates", "123"], PASSWORD,
         "Tidak ada pegawai dengan NIP 123"),
        (["Bos Besar", "--role", "admin"], PASSWORD, "huruf kecil"),
    ]
    for args, password, message in cases:
        result = runner.invoke(args=["users", "create", *args, "--password-stdin"],
                               input=password + "\n")
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    db.session.expire_all()
    assert db.session.scalars(select(User)).all() == []
    assert db.session.scalars(select(AuditEvent)).all() == []
