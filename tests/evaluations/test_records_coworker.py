"""Co-worker evidence in a record: pulled beside the citizen evidence with its own digest, hidden
while fewer than 3 co-workers have answered and shown from the third, never with a name, on the
evaluator's record page, the officer's page, the PDF and the API alike (issue 13, must-show 5)."""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from surveys.evaluations import records
from surveys.frozen import canonical_json
from surveys.models import EvaluationRecord, UnitApiKey
from tests.access.cast import cast, client_as
from tests.evaluations.coworker_data import (
    NAMES,
    NIPS,
    PERIOD,
    add_coworkers,
    answer_all,
    open_round,
    user,
)
from tests.evaluations.pages import pdf_text, table
from tests.factories import add_user, signed_in

PULLED = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)
ROWS = [
    {"berorientasi_pelayanan": 4, "akuntabel": 3, "kompeten": 4, "harmonis": 2, "loyal": 4,
     "adaptif": 3, "kolaboratif": 1, "comment": "Selalu sigap membantu loket sebelah."},
    {"berorientasi_pelayanan": 3, "akuntabel": 3, "kompeten": 2, "harmonis": 4, "loyal": 3,
     "adaptif": 3, "kolaboratif": 2, "comment": "Kadang terlambat rapat pagi."},
    {"berorientasi_pelayanan": 4, "akuntabel": 2, "kompeten": 3, "harmonis": 4, "loyal": 3,
     "adaptif": 4, "kolaboratif": 4},
]
COMMENTS = [row["comment"] for row in ROWS if "comment" in row]


@pytest.fixture
def office(db):
    """The cast, three invited co-workers of whom two have answered, a shared record of the
    evaluated officer with the evidence pulled, the officer's own account and a unit API key."""
    people = cast(db)
    _round_id, tokens = open_round(db, people, add_coworkers(db, people, 3))
    people.tokens = list(tokens.values())
    answer_all(db, people.tokens[:2], ROWS[:2])
    add_user(db, "pegawai.dinilai", "staff", staff_id=people.evaluated.id)
    evaluator = user(db, "penilai")
    record = records.open_record(db.session, evaluator, people.evaluated, PERIOD, PULLED)
    records.pull_evidence(db.session, evaluator, record, PULLED)
    records.share(db.session, evaluator, record, PULLED)
    key, people.api_key = UnitApiKey.issue(people.unit.unit, "SIMPEG")
    db.session.add(key)
    db.session.commit()
    people.record_id = record.id
    return people


def everything_shown(app, db, office, tmp_path) -> dict[str, str]:
    """What each reader gets of the record: both pages, the PDF's text and the API's JSON."""
    path = f"/penilaian/rekaman/{office.record_id}"
    listing = app.test_client().get(f"/api/v1/evaluations?unit={office.unit.unit.code}"
                                    f"&period={PERIOD}", headers={"X-API-Key": office.api_key})
    assert listing.status_code == 200
    [listed] = listing.json["records"]
    return {
        "evaluator": client_as(app, "evaluator").get(path).text,
        "officer": signed_in(app, "pegawai.dinilai").get(f"/saya/penilaian/{office.record_id}").text,
        "pdf": " ".join(pdf_text(client_as(app, "evaluator").get(f"{path}.pdf").data,
                                 tmp_path).split()),
        "api": canonical_json(listed),
    }


def stored(db, record_id: int) -> EvaluationRecord:
    db.session.expire_all()
    return db.session.get(EvaluationRecord, record_id)


def test_two_answers_keep_the_results_hidden_everywhere(app, db, office, tmp_path):
    record = stored(db, office.record_id)
    found = record.coworker_evidence
    assert (found["shown"], found["answered"], found["invited"]) == (False, 2, 3)
    assert "behaviours" not in found and "comments" not in found
    assert record.coworker_sha256 == hashlib.sha256(
        canonical_json(found).encode("utf-8")).hexdigest()
    assert record.evidence["officer_score"] is not None  # the citizen evidence is its own object

    shown = everything_shown(app, db, office, tmp_path)
    for reader in ("evaluator", "officer"):
        assert "Hasil disembunyikan." in shown[reader]
        assert "2 dari 3 rekan kerja" in shown[reader]
        assert 'id="rekan-hasil"' not in shown[reader]
    assert "Hasil disembunyikan: 2 dari 3 rekan kerja menjawab" in shown["pdf"]
    assert record.coworker_sha256 in shown["pdf"]
    for reader, text in shown.items():
        for secret in (*NAMES, *NIPS, *COMMENTS):
            assert secret not in text, (reader, secret)


def test_the_third_answer_shows_the_figures_once_pulled_never_a_name(app, db, office, tmp_path):
    answer_all(db, office.tokens[2:], ROWS[2:])
    # The record keeps what was pulled: the third answer changes nothing until the next pull.
    assert stored(db, office.record_id).coworker_evidence["shown"] is False
    records.pull_evidence(db.session, user(db, "penilai"), stored(db, office.record_id), PULLED)
    db.session.commit()

    found = stored(db, office.record_id).coworker_evidence
    assert (found["shown"], found["answered"]) == (True, 3)
    akuntabel = 25 * (3 + 3 + 2) / 3  # by hand: 66.7 on the 25–100 scale
    assert found["behaviours"]["akuntabel"]["mean_100"] == pytest.approx(akuntabel, abs=1e-4)
    assert sorted(found["comments"]) == sorted(COMMENTS)

    shown = everything_shown(app, db, office, tmp_path)
    for reader in ("evaluator", "officer"):
        rows = table(shown[reader], "rekan-hasil")
        by_label = {row[0]: row[1:] for row in rows[1:]}
        assert by_label["Akuntabel"][:2] == ["3", "66.7"]
        assert len(by_label) == 7
        for comment in COMMENTS:
            assert comment in shown[reader]
    assert "Akuntabel 66.7 (interval 95%:" in shown["pdf"]
    assert "Rekan kerja menjawab 3 dari 3 yang diundang (anonim)" in shown["pdf"]
    assert '"shown":true' in shown["api"] and '"akuntabel":{' in shown["api"]
    for reader, text in shown.items():
        for secret in (*NAMES[:3], *NIPS[:3]):
            assert secret not in text, (reader, secret)
