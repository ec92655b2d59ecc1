"""Comments are the citizens' own text: exported, one that a spreadsheet would run as a formula
("=HYPERLINK(...)", "+62…", "-", "@") is prefixed with a quote; imported again, it is unchanged."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import delete, select

from surveys.db import utcnow
from surveys.exchange.export import from_spreadsheet_safe, spreadsheet_safe
from surveys.models import Answer, ReplyRequest, Response, ResponseFlag
from surveys.responses.submission import submit_response
from tests.factories import full_answers, make_unit

COMMENTS = ['=HYPERLINK("http://contoh.id/x","klik")', "+62 812 3456", "- antrean lama",
            "@petugas ramah", "'=sudah dikutip", "Pelayanan cepat, terima kasih"]


def test_formula_like_comments_are_quoted_in_the_export_and_restored_on_import(db, runner,
                                                                               tmp_path):
    unit = make_unit(db.session)
    when = utcnow().replace(month=6, day=15, hour=3)  # inside the current year
    for number, comment in enumerate(COMMENTS):
        submit_response(db.session, unit.counter_code, {**full_answers(3), "COMMENT": comment},
                        submission_key=f"formula-{number:02d}-abcdefgh",
                        now=when + timedelta(minutes=number))
    db.session.commit()
    exported = runner.invoke(args=["responses", "export"])
    assert exported.exit_code == 0, exported.output
    cells = [row["COMMENT"] for row in csv.DictReader(io.StringIO(exported.stdout))]
    assert cells == ["'" + c for c in COMMENTS[:5]] + [COMMENTS[5]]
    assert not any(cell[:1] in "=+-@" for cell in cells)

    for table in (Answer, ReplyRequest, ResponseFlag):
        db.session.execute(delete(table))
    db.session.execute(delete(Response))
    db.session.commit()
    path = tmp_path / "export.csv"
    path.write_text(exported.stdout)
    imported = runner.invoke(args=["responses", "import", str(path), "--unit", unit.unit.code,
                                   "--period", str(when.year)])
    assert imported.exit_code == 0, imported.output
    db.session.expire_all()
    assert sorted(db.session.scalars(select(Answer.value_text))) == sorted(COMMENTS)


def test_the_guard_only_touches_formula_like_text():
    for text in ("", "biasa", "3", "a=b", "'kutip biasa"):
        assert spreadsheet_safe(text) == text
    for text in COMMENTS + ["\tx", "''+1"]:
        assert from_spreadsheet_safe(spreadsheet_safe(text)) == text
