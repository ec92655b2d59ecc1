"""Reading the officer pages' tables back as text, cell by cell, and a PDF's text."""
from __future__ import annotations

import subprocess
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = None
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id") or "", [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table(html: str, table_id: str) -> list[list[str]]:
    """The rows of the table with this id (header row first), each a list of cell texts."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables[table_id]


def pdf_text(data: bytes, tmp_path) -> str:
    """The text of a PDF as poppler's pdftotext lays it out."""
    path = tmp_path / "rekaman.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
