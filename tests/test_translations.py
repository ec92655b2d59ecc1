"""English is a complete translation of the Indonesian interface, and the compiled catalog is current."""
from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "app/translations/en/LC_MESSAGES/messages.po"
MO = PO.with_suffix(".mo")
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def interface_strings() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "app", METHODS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def english_catalog():
    with PO.open("rb") as stream:
        return read_po(stream)


def test_every_interface_string_has_an_english_translation():
    catalog = english_catalog()
    translated = {(m.id[0] if m.pluralizable else m.id) for m in catalog
                  if m.id and not m.fuzzy and all(m.string if m.pluralizable else [m.string])}
    missing = sorted(interface_strings() - translated)
    assert not missing, f"untranslated (run pybabel extract/update and translate): {missing}"


def test_compiled_catalog_matches_the_po_file():
    with MO.open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    for message in english_catalog():
        if message.id and message.pluralizable:  # ngettext: the singular and the plural form
            assert tuple(compiled.ngettext(*message.id, n) for n in (1, 2)) == \
                tuple(message.string), message.id
        elif message.id and message.string:
            assert compiled.gettext(message.id) == message.string, message.id
