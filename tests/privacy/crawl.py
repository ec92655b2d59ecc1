"""A breadth-first walk of what an anonymous visitor can reach: from the seed paths, every
same-site link (`href`, `src`), every GET form with its default values (and each option of its
selects) and every redirect, each fetched by a fresh browser (no cookie carried over), with the
text a reader could take from each answer: HTML (entities decoded, and the SVG charts it embeds
as data: URIs), CSV, JSON (also decoded, so that escaped characters read as themselves) and a
PDF's text as pdftotext lays it out."""
from __future__ import annotations

import base64
import json
import re
from collections import deque
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from tests.evaluations.pages import pdf_text

SITE = "localhost"  # the test client's host
MAX_PAGES = 3000  # far above the demo's few hundred; reaching it fails the walk
_SVG_URI = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")


@dataclass
class Answer:
    path: str
    status: int
    mimetype: str
    text: str  # everything a reader can read in it
    location: str | None = None
    linked_from: str | None = None  # the page whose link, form or redirect led here
    json: object = None  # a JSON answer, parsed


@dataclass
class _Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    selects: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)


class _Links(HTMLParser):
    """The link targets and GET forms of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[_Form] = []
        self._form: _Form | None = None
        self._select: str | None = None
        self._option: list | None = None  # [value or None, selected, text]

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        self.links += [found[name] for name in ("href", "src") if found.get(name)]
        if tag == "form":
            self._form = _Form(found.get("action") or "", (found.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None or not found.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = (found.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in found:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self._form.fields.append((found["name"], found.get("value") or default))
        elif tag == "textarea":
            self._form.fields.append((found["name"], ""))
        elif tag == "select":
            self._select = found["name"]
            self._form.selects[self._select] = []
        elif tag == "option" and self._select is not None:
            self._option = [found.get("value"), "selected" in found, ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._form is not None:
            value, selected, text = self._option
            self._form.selects[self._select].append(
                (value if value is not None else text.strip(), selected))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def _form_queries(form: _Form) -> list[list[tuple[str, str]]]:
    """The form sent as it stands, then once with each other option of each select."""
    chosen = {name: next((v for v, selected in options if selected),
                         options[0][0] if options else "")
              for name, options in form.selects.items()}
    sent = [form.fields + list(chosen.items())]
    for name, options in form.selects.items():
        for value, _selected in options:
            if value != chosen[name]:
                sent.append(form.fields + list({**chosen, name: value}.items()))
    return sent


def same_site_path(base: str, target: str) -> str | None:
    """The path and query of a link on this site (no fragment), or None for elsewhere."""
    target = target.strip()
    if target.startswith(("data:", "mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin(f"http://{SITE}{base}", target))
    if parts.scheme not in {"http", "https"} or parts.hostname != SITE:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links_of(path: str, html: str) -> list[str]:
    """Every same-site target of a page: links, sources, GET forms with their defaults."""
    parser = _Links()
    parser.feed(html)
    targets = list(parser.links)
    for form in parser.forms:
        if form.method != "get":
            continue
        action = form.action or path
        for query in _form_queries(form):
            base = urljoin(f"http://{SITE}{path}", action).split("?", 1)[0]
            targets.append(f"{base}?{urlencode(query)}" if query else base)
    return [p for p in (same_site_path(path, t) for t in targets) if p is not None]


def readable_text(data: bytes, mimetype: str, tmp_path) -> str:
    """What a reader can take from an answer's body (a PNG image: nothing)."""
    if mimetype == "application/pdf":
        return pdf_text(data, tmp_path)
    if mimetype.startswith("image/") and mimetype != "image/svg+xml":
        return ""
    text = data.decode("utf-8-sig")
    parts = [text]
    if mimetype == "text/html":
        parts.append(unescape(text))
        parts += [base64.b64decode(encoded).decode("utf-8")
                  for encoded in _SVG_URI.findall(text)]
    if mimetype == "application/json":
        parts.append(json.dumps(json.loads(text), ensure_ascii=False))
    return "\n".join(parts)


def walk(app, seeds: list[str], skipped: tuple[str, ...], tmp_path,
         answers: dict[str, Answer] | None = None) -> dict[str, Answer]:
    """Every answer reached from `seeds`, by path, added to `answers` (a walk before, whose
    paths are not fetched again); paths under `skipped` are never fetched."""
    answers = {} if answers is None else answers
    queue = deque((seed, None) for seed in seeds if seed not in answers)
    queued = set(seeds) | set(answers)
    while queue:
        path, parent = queue.popleft()
        assert len(answers) < MAX_PAGES, "the walk does not end"
        answer = app.test_client().get(path)
        mimetype = answer.mimetype or ""
        data = answer.get_data()
        answer.close()  # a static file is streamed from an open file
        answers[path] = Answer(path, answer.status_code, mimetype,
                               readable_text(data, mimetype, tmp_path),
                               answer.headers.get("Location"), parent,
                               json.loads(data) if mimetype == "application/json" else None)
        found = links_of(path, data.decode("utf-8")) if mimetype == "text/html" else []
        if answer.headers.get("Location"):
            found += [p for p in [same_site_path(path, answer.headers["Location"])] if p]
        for target in found:
            if target not in queued and not urlsplit(target).path.startswith(skipped):
                queued.add(target)
                queue.append((target, path))
    return answers


def query_of(path: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(path).query, keep_blank_values=True))
