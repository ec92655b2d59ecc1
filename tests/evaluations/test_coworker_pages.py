"""The co-worker (rekan kerja) pages: the evaluator opens a round and sees the links once; the
co-worker's form answers once; results stay hidden at 2 answers and show at 3 on the round page,
the evaluator's officer page and the officer's /saya, never with a co-worker's name; hostile
forms get their message and a 4xx, never a 500."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from surveys.evaluations import coworker
from surveys.models import AuditEvent, CoworkerAnswer, CoworkerRound
from tests.access.cast import cast, client_as
from tests.evaluations.coworker_data import NAMES, NIPS, PERIOD, add_coworkers, open_round
from tests.evaluations.pages import table
from tests.factories import add_user, hidden_fields, signed_in

LINK = re.compile(r'value="(http://localhost/rekan/([A-Za-z0-9_-]{43}))"')
ANSWERS = [  # behaviour → value for three co-workers, and a comment each
    ({"berorientasi_pelayanan": "4", "akuntabel": "3", "kompeten": "4", "harmonis": "3",
      "loyal": "4", "adaptif": "3", "kolaboratif": "2"}, "Selalu siap membantu rekan."),
    ({"berorientasi_pelayanan": "3", "akuntabel": "3", "kompeten": "3", "harmonis": "4",
      "loyal": "4", "adaptif": "2", "kolaboratif": "3"}, "Kadang terlambat rapat."),
    ({"berorientasi_pelayanan": "4", "akuntabel": "4", "kompeten": "3", "harmonis": "4",
      "loyal": "3", "adaptif": "3", "kolaboratif": "4"}, "Bagus dalam kerja tim."),
]


@pytest.fixture
def people(db):
    people = cast(db)
    people.coworkers = add_coworkers(db, people)
    # The evaluated officer's own account, to read /saya.
    add_user(db, "petugas.dinilai", "staff", staff_id=people.evaluated.id)
    return people


def rounds_url(people) -> str:
    return f"/penilaian/pegawai/{people.evaluated.public_ref}/rekan"


def open_by_page(client, people, ids, period=PERIOD):
    page = client.get(rounds_url(people))
    fields = hidden_fields(page.text)
    return client.post(rounds_url(people), data={"csrf_token": fields["csrf_token"],
                                                 "period": period, "invitees": ids})


def answer_by_page(token: str, values: dict, comment: str | None = None, client=None):
    """A co-worker's phone: opens the link, fills the form, sends it."""
    form = client.get(f"/rekan/{token}")
    assert form.status_code == 200, form.text
    data = {**hidden_fields(form.text), **values}
    if comment is not None:
        data["comment"] = comment
    return client.post(f"/rekan/{token}", data=data), form


def stored_answers(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(CoworkerAnswer))


def test_the_evaluator_opens_a_round_and_sees_each_link_once(app, db, people):
    client = client_as(app, "evaluator")
    page = client.get(rounds_url(people))
    assert page.status_code == 200
    offered = re.findall(r'name="invitees" value="(\d+)"', page.text)
    # The officer's unit's active staff, the officer excepted.
    assert sorted(map(int, offered)) == sorted([s.id for s in people.coworkers] + [people.own.id])
    ids = [str(s.id) for s in people.coworkers[:3]]
    opened = open_by_page(client, people, ids)
    assert opened.status_code == 200
    assert opened.headers["Cache-Control"] == "private, no-store"
    links = LINK.findall(opened.text)
    assert len(links) == 3 and len({token for _url, token in links}) == 3
    for name in NAMES[:3]:  # the one page pairing names and links: the evaluator hands them out
        assert name in opened.text
    assert "hanya ditampilkan sekali" in opened.text
    round_ = db.session.scalars(select(CoworkerRound)).one()
    assert round_.period == PERIOD and round_.staff_id == people.evaluated.id
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "coworker_round.open", AuditEvent.entity_id == round_.id)) == 1
    # Nowhere again: not on the rounds page, the round page or the invitation list.
    for path in (rounds_url(people), f"/penilaian/rekan/{round_.id}",
                 f"/penilaian/rekan/{round_.id}/undangan"):
        later = client.get(path).text
        assert not any(token in later for _url, token in links)
    # The links work.
    anonymous = app.test_client()
    assert anonymous.get(links[0][0].removeprefix("http://localhost")).status_code == 200


@pytest.mark.parametrize("ids, period, status, message", [
    (lambda p: [p.coworkers[0].id, p.coworkers[1].id], PERIOD, 400,
     "Pilih paling sedikit 3 rekan kerja"),
    (lambda p: [p.coworkers[0].id, "x", p.coworkers[1].id], PERIOD, 400,
     "Pilih rekan kerja dari daftar."),
    (lambda p: [s.id for s in p.coworkers[:2]] + [p.unit.other_unit_officer.id], PERIOD, 400,
     "Pilih rekan kerja dari daftar."),
    (lambda p: [p.coworkers[0].id] * 3, PERIOD, 400,
     "Setiap rekan kerja hanya dapat dipilih sekali."),
    (lambda p: [s.id for s in p.coworkers[:3]], "2026-Q9", 400, "Periode tidak dikenal"),
    (lambda p: [s.id for s in p.coworkers[:3]], "x\x00" * 5000, 400, "Periode tidak dikenal"),
])
def test_a_refused_round_names_its_field(app, db, people, ids, period, status, message):
    client = client_as(app, "evaluator")
    refused = open_by_page(client, people, [str(i) for i in ids(people)], period)
    assert refused.status_code == status
    assert message in refused.text
    assert "Invalid" not in refused.text and "Not a valid" not in refused.text
    assert db.session.scalar(select(func.count()).select_from(CoworkerRound)) == 0


def test_a_second_open_round_for_the_period_is_refused_and_csrf_is_checked(app, db, people):
    client = client_as(app, "evaluator")
    ids = [str(s.id) for s in people.coworkers[:3]]
    assert open_by_page(client, people, ids).status_code == 200
    again = open_by_page(client, people, ids)
    assert again.status_code == 409
    assert "Sudah ada putaran yang masih terbuka" in again.text
    forged = client.post(rounds_url(people), data={"period": PERIOD, "invitees": ids})
    assert forged.status_code == 400 and "Formulir sudah kedaluwarsa" in forged.text
    assert db.session.scalar(select(func.count()).select_from(CoworkerRound)) == 1


def test_the_coworker_form_answers_once(app, db, people):
    _round_id, tokens = open_round(db, people, people.coworkers[:3])
    token = next(iter(tokens.values()))
    phone = app.test_client()
    form = phone.get(f"/rekan/{token}")
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    for label in ("Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal",
                  "Adaptif", "Kolaboratif"):
        assert f"<legend>{label}" in form.text or f". {label}</legend>" in form.text
    assert people.evaluated.name in form.text  # whom the co-worker rates
    sent = phone.post(f"/rekan/{token}", data={**hidden_fields(form.text), **ANSWERS[0][0],
                                                "comment": ANSWERS[0][1]})
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/rekan/terima-kasih")
    assert "Terima kasih" in phone.get("/rekan/terima-kasih").text
    assert stored_answers(db) == 1

    # The same link again: a clear message, nothing changed (even with the old form's tokens).
    reopened = phone.get(f"/rekan/{token}")
    assert reopened.status_code == 410 and "sudah dipakai" in reopened.text
    resent = phone.post(f"/rekan/{token}", data={**hidden_fields(form.text),
                                                  **{k: "1" for k in ANSWERS[0][0]}})
    assert resent.status_code == 410 and "sudah dipakai" in resent.text
    assert stored_answers(db) == 1
    assert db.session.scalars(select(CoworkerAnswer.akuntabel)).one() == 3


@pytest.mark.parametrize("values, comment, message", [
    ({"akuntabel": "0"}, None, "Pilih nilai 1 sampai 4, atau kosongkan."),
    ({"akuntabel": "5"}, None, "Pilih nilai 1 sampai 4, atau kosongkan."),
    ({"kompeten": "x"}, None, "Pilih nilai 1 sampai 4, atau kosongkan."),
    ({"kompeten": "\x00"}, None, "Pilih nilai 1 sampai 4, atau kosongkan."),
    ({"loyal": "4"}, "k" * 10_000, "Komentar terlalu panjang (paling banyak 2000 karakter)."),
    ({}, "", "Isi paling sedikit satu perilaku atau tulis komentar."),
])
def test_hostile_forms_are_refused_with_a_message(app, db, people, values, comment, message):
    _round_id, tokens = open_round(db, people, people.coworkers[:3])
    token = next(iter(tokens.values()))
    sent, _form = answer_by_page(token, values, comment, client=app.test_client())
    assert sent.status_code == 400
    assert message in sent.text
    assert stored_answers(db) == 0
    assert coworker.invitation_for(db.session, token).used_at is None


def test_a_nul_in_a_comment_is_dropped_and_the_answer_kept(app, db, people):
    _round_id, tokens = open_round(db, people, people.coworkers[:3])
    sent, _form = answer_by_page(next(iter(tokens.values())), {"adaptif": "3"},
                                 "Te\x00liti.", client=app.test_client())
    assert sent.status_code == 303
    assert db.session.scalars(select(CoworkerAnswer.comment)).one() == "Teliti."


def test_unknown_closed_and_unsigned_links_are_refused(app, db, people):
    round_id, tokens = open_round(db, people, people.coworkers[:3])
    phone = app.test_client()
    token = next(iter(tokens.values()))
    form = phone.get(f"/rekan/{token}")
    unknown = phone.get("/rekan/bukan-token-yang-pernah-dibuat-sama-sekali")
    assert unknown.status_code == 404 and "Tautan ini tidak dikenal" in unknown.text
    no_token = phone.post(f"/rekan/{token}", data={"akuntabel": "3"})
    assert no_token.status_code == 400 and "Formulir sudah kedaluwarsa" in no_token.text
    closer = client_as(app, "evaluator")
    round_page = closer.get(f"/penilaian/rekan/{round_id}")
    closed = closer.post(f"/penilaian/rekan/{round_id}/tutup",
                         data={"csrf_token": hidden_fields(round_page.text)["csrf_token"]})
    assert closed.status_code == 303
    assert "Ditutup" in closer.get(f"/penilaian/rekan/{round_id}").text
    late = phone.post(f"/rekan/{token}", data={**hidden_fields(form.text), "akuntabel": "3"})
    assert late.status_code == 410 and "sudah ditutup" in late.text
    assert phone.get(f"/rekan/{token}").status_code == 410
    assert stored_answers(db) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "coworker_round.close")) == 1


def results_pages(app, people, round_id) -> dict[str, str]:
    """Every page that shows this round's results, as its readers see them."""
    period = f"?periode={PERIOD}"
    evaluator = client_as(app, "evaluator")
    admin = client_as(app, "admin")
    pages = {
        "round page": evaluator.get(f"/penilaian/rekan/{round_id}"),
        "rounds list": evaluator.get(rounds_url(people)),
        "officer page (evaluator)": evaluator.get(
            f"/penilaian/pegawai/{people.evaluated.public_ref}{period}"),
        "officer page (admin)": admin.get(
            f"/penilaian/pegawai/{people.evaluated.public_ref}{period}"),
        "/saya": signed_in(app, "petugas.dinilai").get(f"/saya{period}"),
    }
    for name, page in pages.items():
        assert page.status_code == 200, name
    return {name: page.text for name, page in pages.items()}


def test_results_hidden_at_two_answers_and_shown_at_three_on_every_page(app, db, people):
    round_id, tokens = open_round(db, people, people.coworkers)
    links = list(tokens.values())
    for token, (values, comment) in zip(links[:2], ANSWERS[:2], strict=True):
        assert answer_by_page(token, values, comment, client=app.test_client())[0] \
            .status_code == 303
    for name, html in results_pages(app, people, round_id).items():
        if name == "rounds list":
            assert "Disembunyikan (kurang dari 3 jawaban)" in html
            continue
        assert "Hasil masih disembunyikan." in html, name
        assert not any(n in html for n in NAMES), name
        assert "Sudah menjawab 2 dari 4 rekan kerja" in html, name
        assert 'id="rekan-hasil"' not in html, name
        assert not any(comment in html for _values, comment in ANSWERS), name

    values, comment = ANSWERS[2]
    assert answer_by_page(links[2], values, comment, client=app.test_client())[0] \
        .status_code == 303
    want = coworker.results(db.session, coworker.round_by_id(db.session, round_id))
    for name, html in results_pages(app, people, round_id).items():
        if name == "rounds list":  # links to the results; its form offers the unit's staff
            assert "Lihat hasil" in html
            continue
        assert not any(n in html for n in NAMES), name  # never a co-worker's name
        assert not any(nip in html for nip in NIPS), name
        assert "Hasil masih disembunyikan." not in html, name
        header, *rows = table(html, "rekan-hasil")
        assert [row[0] for row in rows] == ["Berorientasi Pelayanan", "Akuntabel", "Kompeten",
                                            "Harmonis", "Loyal", "Adaptif", "Kolaboratif"]
        for row, result in zip(rows, want.behaviours, strict=True):
            s = result.summary
            assert row[1:] == [str(s.n), f"{s.mean:.2f}", f"{s.mean_100:.1f}",
                               f"{s.ci95_100[0]:.1f}–{s.ci95_100[1]:.1f}"], name
        assert rows[0][1:3] == ["3", "3.67"]  # (4 + 3 + 4) / 3
        listed = re.findall(r"<li>([^<]*)</li>", html.split('id="rekan-komentar"')[1])
        assert listed == sorted((c for _v, c in ANSWERS), key=str.casefold), name


def test_the_invitation_list_names_the_invited_but_not_who_answered(app, db, people):
    round_id, tokens = open_round(db, people, people.coworkers[:3])
    answer_by_page(tokens[people.coworkers[0].id], {"akuntabel": "3"}, client=app.test_client())
    html = client_as(app, "evaluator").get(f"/penilaian/rekan/{round_id}/undangan").text
    listed = re.findall(r"<li>([^<·]*) ·", html.split('id="undangan"')[1])
    assert [name.strip() for name in listed] == sorted(NAMES[:3])
    for word in ("sudah menjawab", "belum menjawab", "2026-"):
        assert word not in html.split('id="undangan"')[1]


def test_the_officer_never_manages_their_own_rounds(app, db, people):
    round_id, _tokens = open_round(db, people, people.coworkers[:3])
    officer = signed_in(app, "petugas.dinilai")
    assert officer.get(f"/penilaian/rekan/{round_id}").status_code == 403
    assert officer.get(rounds_url(people)).status_code == 403
    assert "Kelola putaran masukan rekan kerja" not in officer.get("/saya").text
    assert "Kelola putaran masukan rekan kerja" in client_as(app, "evaluator").get(
        f"/penilaian/pegawai/{people.evaluated.public_ref}").text
