"""An officer objects to one response naming them; a manager of its unit upholds or rejects it.
Upheld: the response leaves that officer's score (checked against the raw mean over the
officer's remaining responses) and stays, with its answers, in the unit IKM (exactly); rejected:
nothing moves; the incremental move equals a rebuild; both decisions are in the audit log; no
path deletes a response; other people's responses and units are refused; hostile input on both
forms gets a clear 4xx and stores nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveys.errors import NotAllowed, RecordRefused
from surveys.evaluations import objections
from surveys.evaluations.evidence import build_evidence
from surveys.models import (
    Answer,
    AuditEvent,
    Response,
    ResponseFlag,
    ResponseObjection,
    RoleGrant,
    User,
)
from surveys.db import utcnow
from surveys.periods import Period
from surveys.reporting import rollup
from surveys.reporting.dashboard import latest_comments
from surveys.reporting.service import officer_report, unit_and_descendant_ids, unit_report
from surveys.responses import flag_review
from tests.access.cast import USERNAMES, cast, client_as
from tests.evaluations.data import CURRENT, rate_officers
from tests.factories import add_user, hidden_fields, stored_responses
from tests.rollup.test_rollup_matches_raw import _snapshot

REASON = "Warga ini dilayani oleh rekan saya di loket sebelah, bukan oleh saya."
NOTE = "Rekaman antrean menunjukkan warga dilayani di loket 2."


@pytest.fixture
def rated(db):
    people = cast(db)
    rate_officers(db, people)
    return people


def _responses_of(db, staff) -> list[Response]:
    """The staff member's counted (not excluded) responses of the current period, oldest first."""
    period = Period.parse(CURRENT)
    first, after = period.utc_bounds(staff.unit.timezone)
    excluded = select(ResponseFlag.response_id).where(ResponseFlag.kind == "excluded")
    return list(db.session.scalars(select(Response).where(
        Response.staff_id == staff.id, Response.submitted_at >= first,
        Response.submitted_at < after, Response.id.not_in(excluded)).order_by(Response.id)))


def _officer_score(response: Response) -> float:
    items = [y for y in (response.u6, response.u7, response.officer_rating) if y is not None]
    return 25 * sum(items) / len(items)


def _live(db, staff) -> tuple[int, float]:
    """The officer's n and raw mean as the reporting service (API, pages) computes them."""
    db.session.expire_all()
    row = officer_report(db.session, staff.unit_id, staff.nip, Period.parse(CURRENT)).officers
    return int(row.n.iloc[0]), float(row.raw.iloc[0])


def _unit_figures(db, people) -> dict:
    """The unit's index both ways, exactly as the reporting service gives it."""
    db.session.expire_all()
    report = unit_report(db.session, people.unit.unit.code, period=CURRENT, officers=False)
    return {"with": report.with_flagged.to_dict(), "without": report.without_flagged.to_dict()}


def _row(db, response_id: int) -> dict:
    """A response's stored columns and its answers, to show nothing about it changed."""
    db.session.expire_all()
    response = db.session.get(Response, response_id)
    columns = {c.name: getattr(response, c.key) for c in Response.__table__.columns}
    answers = sorted(db.session.execute(select(Answer.item_id, Answer.value_int, Answer.value_text)
                                        .where(Answer.response_id == response_id)).all())
    return {**columns, "answers": answers}


def _token(client, path: str = "/auth/masuk") -> str:
    return hidden_fields(client.get(path).text)["csrf_token"]


def _file(client, response_id, reason=REASON):
    token = _token(client)
    return client.post("/saya/keberatan-respons",
                       data={"csrf_token": token, "respons": str(response_id), "reason": reason})


def _decide(client, code: str, objection_id, decision: str | None, note=NOTE):
    token = _token(client)
    data = {"csrf_token": token, "objection": str(objection_id), "note": note}
    if decision:
        data[decision] = "1"
    return client.post(f"/admin/unit/{code}/keberatan-respons/keputusan", data=data)


def _objection_id(db, response_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(ResponseObjection.id).where(
        ResponseObjection.response_id == response_id))


def _audit(db, action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity == "response_objection", AuditEvent.action == action)))


def _assert_rollup_equals_rebuild(db):
    incremental = _snapshot(db)
    rollup.rebuild(db.session)
    db.session.commit()
    assert _snapshot(db) == incremental


def test_upheld_objection_leaves_the_officer_score_only(app, db, rated):
    own, unit = rated.own, rated.unit.unit
    responses = _responses_of(db, own)
    target = max(responses, key=_officer_score)  # the best one: the mean must move
    before_row, before_unit, total = _row(db, target.id), _unit_figures(db, rated), \
        stored_responses(db)
    n, raw = _live(db, own)
    assert (n, raw) == (len(responses), pytest.approx(
        sum(map(_officer_score, responses)) / len(responses), abs=1e-9))

    staff = client_as(app, "staff")
    filed = _file(staff, target.id)
    assert filed.status_code == 303
    assert _objection_id(db, target.id) is not None
    assert _live(db, own) == (n, pytest.approx(raw, abs=1e-9)), "filing alone changes nothing"
    assert db.session.scalar(select(ResponseFlag.reason).where(
        ResponseFlag.response_id == target.id, ResponseFlag.kind == "objected")) == REASON

    decided = _decide(client_as(app, "manager"), unit.code, _objection_id(db, target.id),
                      "upheld")
    assert decided.status_code == 303
    remaining = [r for r in responses if r.id != target.id]
    got_n, got_raw = _live(db, own)
    assert got_n == len(remaining) == n - 1
    assert got_raw == pytest.approx(sum(map(_officer_score, remaining)) / len(remaining),
                                    abs=1e-9)
    assert got_raw < raw
    assert _unit_figures(db, rated) == before_unit, "the unit IKM is exactly the same"
    assert _row(db, target.id) == before_row, "the response and its answers are untouched"
    assert stored_responses(db) == total
    objection = db.session.get(ResponseObjection, _objection_id(db, target.id))
    assert (objection.status, objection.reason, objection.decision_note) == ("upheld", REASON,
                                                                             NOTE)
    [filing], [upheld] = _audit(db, "file"), _audit(db, "uphold")
    assert (filing.entity_id, filing.reason, filing.unit_id) == (objection.id, REASON, unit.id)
    assert (upheld.entity_id, upheld.reason, upheld.before, upheld.after["status"]) == \
        (objection.id, NOTE, {"status": "pending"}, "upheld")
    assert upheld.actor_label == USERNAMES["manager"]

    _assert_rollup_equals_rebuild(db)
    assert _live(db, own) == (got_n, pytest.approx(got_raw, abs=1e-9))
    assert _unit_figures(db, rated) == before_unit
    evidence = build_evidence(db.session, own, Period.parse(CURRENT), utcnow())
    assert evidence["exclusions"]["upheld_objections"] == 1
    assert evidence["officer_score"]["n"] == got_n


def test_rejected_objection_changes_nothing(app, db, rated):
    own, unit = rated.own, rated.unit.unit
    target = _responses_of(db, own)[0]
    before = (_live(db, own), _unit_figures(db, rated), _snapshot(db), stored_responses(db))
    assert _file(client_as(app, "staff"), target.id).status_code == 303
    objection_id = _objection_id(db, target.id)
    assert _decide(client_as(app, "manager"), unit.code, objection_id, "rejected").status_code \
        == 303
    assert (_live(db, own), _unit_figures(db, rated), _snapshot(db), stored_responses(db)) == before
    assert db.session.get(ResponseObjection, objection_id).status == "rejected"
    [rejected] = _audit(db, "reject")
    assert (rejected.entity_id, rejected.reason, rejected.after["status"]) == \
        (objection_id, NOTE, "rejected")
    # A decision is final: deciding again is refused and changes nothing.
    again = _decide(client_as(app, "admin"), unit.code, objection_id, "upheld")
    assert again.status_code == 409
    assert "sudah diputuskan" in again.text
    assert db.session.get(ResponseObjection, objection_id).status == "rejected"
    _assert_rollup_equals_rebuild(db)
    assert _live(db, own) == before[0]


def _user(db, role: str) -> User:
    return db.session.scalars(select(User).where(User.username == USERNAMES[role])).one()


def test_a_response_still_queued_is_folded_under_its_decision(db, rated):
    own = rated.own
    target = _responses_of(db, own)[0]
    objections.file_objection(db.session, _user(db, "staff"), target.id, REASON)
    db.session.execute(rollup.PENDING.insert().values(response_id=target.id))
    db.session.commit()
    # As if it had just arrived: the rebuild leaves the queued response to the fold.
    rollup.rebuild(db.session)
    objection_id = _objection_id(db, target.id)
    objections.decide_objection(db.session, _user(db, "manager"), objection_id, "upheld", NOTE)
    rollup.fold_pending(db.session)
    db.session.commit()
    remaining = [r for r in _responses_of(db, own) if r.id != target.id]
    n, raw = _live(db, own)
    assert (n, raw) == (len(remaining), pytest.approx(
        sum(map(_officer_score, remaining)) / len(remaining), abs=1e-9))
    _assert_rollup_equals_rebuild(db)


def test_an_upheld_comment_no_longer_names_the_officer_on_the_dashboard(db, rated):
    """The objection said the response was not about that officer: the unit dashboard's latest
    comments keep the comment but drop the name, even for an admin, who sees names."""
    officer = rated.evaluated
    add_user(db, "petugas.dinilai", "staff", staff_id=officer.id)
    admin, period = _user(db, "admin"), Period.parse(CURRENT)
    unit = rated.unit.unit
    tree = tuple(unit_and_descendant_ids(db.session, unit))

    def named() -> dict[str, str | None]:
        return {c.text: c.officer for c in latest_comments(db.session, unit, tree, period, admin)}

    before = named()
    latest = max((text for text, name in before.items() if name == officer.name),
                 key=lambda text: int(text.rsplit("(", 1)[1].rstrip(")")))
    target = db.session.scalar(select(Answer.response_id).where(Answer.value_text == latest))
    objections.file_objection(db.session, db.session.scalars(select(User).where(
        User.username == "petugas.dinilai")).one(), target, REASON)
    db.session.commit()
    assert named() == before, "a pending objection changes nothing"
    objections.decide_objection(db.session, _user(db, "manager"), _objection_id(db, target),
                                "upheld", NOTE)
    db.session.commit()
    after = named()
    assert after[latest] is None
    assert after == {**before, latest: None}


def test_flags_of_an_upheld_response_move_it_in_its_no_officer_cell(db, rated):
    own, unit = rated.own, rated.unit.unit
    target = _responses_of(db, own)[0]
    objections.file_objection(db.session, _user(db, "staff"), target.id, REASON)
    objections.decide_objection(db.session, _user(db, "manager"), _objection_id(db, target.id),
                                "upheld", NOTE)
    db.session.add(ResponseFlag(response_id=target.id, kind="suspicious", reason="uji"))
    rollup.refresh_flags(db.session, target, rollup.flag_state(["objected"]))
    db.session.commit()
    _assert_rollup_equals_rebuild(db)
    flag_review.decide(db.session, None, [unit.id], [target.id], exclude=True, reason="uji")
    db.session.commit()
    _assert_rollup_equals_rebuild(db)


def test_an_officer_cannot_object_to_a_response_naming_someone_else(app, db, rated):
    others = _responses_of(db, rated.evaluated)[0], _responses_of(db, rated.unit.other_unit_officer)[0]
    staff = client_as(app, "staff")
    total = stored_responses(db)
    for response in others:
        assert staff.get(f"/saya/keberatan-respons?respons={response.id}").status_code == 404
        refused = _file(staff, response.id)
        assert refused.status_code == 404
        assert "tidak ditemukan" in refused.text
    for role in ("manager", "evaluator", "admin", "no_role"):  # no staff record of their own
        client = client_as(app, role)
        assert client.get(f"/saya/keberatan-respons?respons={others[0].id}").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(ResponseObjection)) == 0
    assert stored_responses(db) == total


def test_a_manager_of_another_unit_cannot_decide(app, db, rated):
    target = _responses_of(db, rated.own)[0]
    assert _file(client_as(app, "staff"), target.id).status_code == 303
    objection_id = _objection_id(db, target.id)
    other = client_as(app, "other_manager")
    assert _decide(other, rated.unit.unit.code, objection_id, "upheld").status_code == 403
    sideways = _decide(other, rated.other.code, objection_id, "upheld")  # through their own unit
    assert sideways.status_code == 404
    assert "tidak ditemukan" in sideways.text
    assert client_as(app, "staff").get(
        f"/admin/unit/{rated.unit.unit.code}/keberatan-respons").status_code == 403
    with pytest.raises(NotAllowed):
        objections.decide_objection(db.session, _user(db, "other_manager"), objection_id,
                                    "upheld", NOTE)
    db.session.rollback()
    assert db.session.get(ResponseObjection, objection_id).status == "pending"
    assert _audit(db, "uphold") == []


def test_nobody_decides_their_own_objection(app, db, rated):
    manager = _user(db, "manager")
    db.session.add(RoleGrant(user_id=manager.id, role="staff", staff_id=rated.own.id))
    db.session.commit()
    target = _responses_of(db, rated.own)[0]
    client = client_as(app, "manager")
    assert _file(client, target.id).status_code == 303
    page = client.get(f"/admin/unit/{rated.unit.unit.code}/keberatan-respons").text
    assert "Ini keberatan Anda sendiri" in page
    refused = _decide(client, rated.unit.unit.code, _objection_id(db, target.id), "upheld")
    assert refused.status_code == 403
    assert db.session.get(ResponseObjection, _objection_id(db, target.id)).status == "pending"


@pytest.mark.parametrize(("reason", "status", "message"), [
    ("", 400, "Tuliskan alasan keberatan"),
    ("   \n\t ", 400, "Tuliskan alasan keberatan"),
    ("x" * 10_000, 400, "Paling banyak 2000 karakter"),
    ("alasan\x00tersembunyi", 400, "karakter kontrol"),
    ("alasan \x1b[31m merah", 400, "karakter kontrol"),
])
def test_hostile_reasons_are_refused_and_the_typed_text_kept(app, db, rated, reason, status,
                                                             message):
    target = _responses_of(db, rated.own)[0]
    total = stored_responses(db)
    refused = _file(client_as(app, "staff"), target.id, reason)
    assert refused.status_code == status
    assert message in refused.text
    assert 'name="reason"' in refused.text, "the form is shown again"
    assert db.session.scalar(select(func.count()).select_from(ResponseObjection)) == 0
    assert stored_responses(db) == total


def test_a_reason_of_exactly_2000_characters_with_line_breaks_is_kept(app, db, rated):
    target = _responses_of(db, rated.own)[0]
    reason = ("Baris satu.\r\n" + "y" * 2000)[:2000]
    assert _file(client_as(app, "staff"), target.id, reason).status_code == 303
    assert db.session.get(ResponseObjection, _objection_id(db, target.id)).reason == reason


@pytest.mark.parametrize("value", ["abc", "-1", "0", "1.5", "9" * 30, "", "１２"])
def test_wrong_response_ids_are_a_clear_400(app, db, rated, value):
    staff = client_as(app, "staff")
    assert staff.get(f"/saya/keberatan-respons?respons={value}").status_code == 400
    refused = _file(staff, value)
    assert refused.status_code == 400
    assert "Nomor respons tidak sah" in refused.text
    assert db.session.scalar(select(func.count()).select_from(ResponseObjection)) == 0


def test_an_unknown_response_is_404_and_a_repeated_objection_409(app, db, rated):
    staff = client_as(app, "staff")
    assert _file(staff, 10**15).status_code == 404
    target = _responses_of(db, rated.own)[0]
    assert _file(staff, target.id).status_code == 303
    again = _file(staff, target.id, "Alasan lain")
    assert again.status_code == 409
    assert "sudah mengajukan keberatan" in again.text
    [objection] = db.session.scalars(select(ResponseObjection))
    assert objection.reason == REASON, "the first objection is kept as it was"
    assert len(_audit(db, "file")) == 1
    with pytest.raises(RecordRefused) as refused:
        objections.file_objection(db.session, _user(db, "staff"), target.id, "lagi")
    assert refused.value.code == "exists"


@pytest.mark.parametrize(("objection", "decision", "note", "status", "message"), [
    (None, "upheld", "", 400, "Tuliskan catatan keputusan"),
    (None, "rejected", "z" * 10_000, 400, "Paling banyak 2000 karakter"),
    (None, "upheld", "catatan\x00", 400, "karakter kontrol"),
    (None, None, NOTE, 400, "Pilih Terima atau Tolak"),
    ("abc", "upheld", NOTE, 400, "Nomor keberatan tidak sah"),
    ("999999999", "upheld", NOTE, 404, "tidak ditemukan"),
    ("9" * 40, "upheld", NOTE, 400, "Nomor keberatan tidak sah"),
])
def test_hostile_decisions_are_refused_and_nothing_changes(app, db, rated, objection, decision,
                                                           note, status, message):
    target = _responses_of(db, rated.own)[0]
    assert _file(client_as(app, "staff"), target.id).status_code == 303
    objection_id = _objection_id(db, target.id)
    before = (_snapshot(db), stored_responses(db))
    refused = _decide(client_as(app, "manager"), rated.unit.unit.code,
                      objection if objection is not None else objection_id, decision, note)
    assert refused.status_code == status
    assert message in refused.text
    assert db.session.get(ResponseObjection, objection_id).status == "pending"
    assert (_snapshot(db), stored_responses(db)) == before
    assert _audit(db, "uphold") == _audit(db, "reject") == []


def test_forms_without_csrf_are_refused(app, db, rated):
    target = _responses_of(db, rated.own)[0]
    staff = client_as(app, "staff")
    refused = staff.post("/saya/keberatan-respons", data={"respons": str(target.id),
                                                          "reason": REASON})
    assert refused.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ResponseObjection)) == 0
    assert _file(staff, target.id).status_code == 303
    manager = client_as(app, "manager").post(
        f"/admin/unit/{rated.unit.unit.code}/keberatan-respons/keputusan",
        data={"objection": str(_objection_id(db, target.id)), "note": NOTE, "upheld": "1"})
    assert manager.status_code == 400
    assert db.session.get(ResponseObjection, _objection_id(db, target.id)).status == "pending"


def test_no_route_deletes_a_response(app):
    """There is no way to delete a response: no route takes DELETE, and none is named for it."""
    for rule in app.url_map.iter_rules():
        assert "DELETE" not in rule.methods, rule.rule
    assert not hasattr(objections, "delete_response")


def test_the_manager_page_lists_pending_and_decided_with_answers_and_reasons(app, db, rated):
    first, second = _responses_of(db, rated.own)[:2]
    staff = client_as(app, "staff")
    assert _file(staff, first.id).status_code == 303
    assert _file(staff, second.id, "Alasan kedua yang berbeda.").status_code == 303
    manager = client_as(app, "manager")
    code = rated.unit.unit.code
    assert _decide(manager, code, _objection_id(db, first.id), "upheld").status_code == 303
    page = manager.get(f"/admin/unit/{code}/keberatan-respons")
    assert page.status_code == 200
    pending, decided = page.text.split("Sudah diputuskan")
    assert "Alasan kedua yang berbeda." in pending and REASON in decided
    assert NOTE in decided and "Keberatan diterima" in decided
    assert rated.own.name in pending
    answers = " ".join(f"<td>{getattr(second, f'u{j}')}</td>" for j in range(1, 10))
    assert answers.replace(" ", "") in pending.replace("\n", "").replace(" ", "")
    dashboard = manager.get(f"/admin/unit/{code}/tanda").text
    assert f'href="/admin/unit/{code}/keberatan-respons"' in dashboard
