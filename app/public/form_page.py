"""The survey form's page, rendered once per form content and language and reused.

Every GET reads what the page shows (`surveys.responses.form_content`: two small statements, which
also refuse a revoked code at once); that content, the language and the script root are the key
of a small per-process cache of the rendered page, so a revoked code, a roster change, a renamed
place or a new instrument never serves a stale page, and nothing needs to be told to invalidate
it. Only the per-request tokens are filled in: the submission key, the form's CSRF token (bound to
the device cookie, which the blueprint's after-request hook still sets) and the signed opened_at.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict

from flask import current_app, make_response, request
from flask_babel import get_locale
from markupsafe import Markup, escape

from app.extensions import db
from app.public import form_token, guard
from app.public.forms import private, render_survey, submission_key
from surveys.db import utcnow
from surveys.models import Instrument
from surveys.responses.form_content import FormContent, form_content
from surveys.responses.submission import SurveyPage

CACHE = "suarawarga.form_pages"  # app.extensions key of the FormPageCache
TOKENS = ("submission_key", "form_token", "opened_at")
# Rendered in place of each token. Any text the page shows is escaped, so none can contain "<sw-".
_MARK = "<sw-token {}>"
_MARKS = re.compile(r"<sw-token (\w+)>")


class RenderedPage:
    """A rendered page cut at its token marks; `fill` puts one request's tokens in."""

    def __init__(self, html: str):
        pieces = _MARKS.split(html)
        self._texts, self._names = pieces[0::2], pieces[1::2]

    def fill(self, tokens: dict[str, str]) -> str:
        out = [self._texts[0]]
        for name, text in zip(self._names, self._texts[1:]):
            out += (str(escape(tokens[name])), text)
        return "".join(out)


class FormPageCache:
    """The most recently used `size` rendered pages by key; thread-safe."""

    def __init__(self, size: int = 512):
        self.size = size
        self._pages: OrderedDict[tuple, RenderedPage] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> RenderedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: RenderedPage) -> None:
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


def survey_form(code: str):
    """The answer to a form GET at a touchpoint (a ticket's form is rendered by its own view).
    Raises TouchpointNotFound / TouchpointClosed like `survey_form` of the domain."""
    content = form_content(db.session, code, utcnow())
    language = str(get_locale())
    retention_days = current_app.config["REPLY_CONTACT_RETENTION_DAYS"]
    key = (content, language, retention_days, request.script_root)
    cache = current_app.extensions.setdefault(CACHE, FormPageCache())
    page = cache.get(key)
    if page is None:
        page = RenderedPage(_render(content))
        cache.put(key, page)
    key = submission_key(None)
    html = page.fill({"submission_key": key, "form_token": form_token.issue(key),
                      "opened_at": guard.survey_opened_at()})
    # A kiosk's page is never cached by the browser, as the view's own kiosk pages.
    return private(html, 200) if content.touchpoint.kind == "kiosk" else make_response(html, 200)


def _render(content: FormContent) -> str:
    """The page with a mark in place of each token (the survey view's own renderer)."""
    marks = {name: Markup(_MARK.format(name)) for name in TOKENS}
    instrument = db.session.get(Instrument, content.instrument_id)  # an id's items never change
    touchpoint = content.touchpoint
    page = SurveyPage(touchpoint, instrument, list(content.officers), touchpoint.staff,
                      list(touchpoint.unit.services))
    return render_survey(page, submission_key=marks["submission_key"],
                         form_token=marks["form_token"], errors={}, values={},
                         survey_opened_at=lambda: marks["opened_at"])  # shadows the global
