"""Every domain error the use cases raise; the web layer maps each to its HTTP answer once
(app/errors.py), the CLI to its message. Those also raised for plain bad values keep ValueError
or LookupError as a second base."""


class SurveyError(Exception):
    """Base class of the domain's refusals."""


class TouchpointNotFound(SurveyError):
    """No touchpoint has this public code."""


class TouchpointClosed(SurveyError):
    """The touchpoint's code was revoked: old posters must stop collecting answers."""


class InstrumentMissing(SurveyError):
    """The default instrument is not stored (the database was not migrated: `flask db upgrade`)."""


class InvalidSubmission(SurveyError):
    """A response that breaks the instrument's rules; nothing is saved.

    `errors` maps each field name (U1..U9, OFFICER, COMMENT, staff, service) to a problem code:
    'required', 'not_an_integer', 'out_of_range', 'too_long', 'unknown', 'not_in_unit'.
    """

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{field}: {problem}" for field, problem in errors.items()))
        self.errors = errors


class TicketRefused(SurveyError):
    """A one-time ticket that cannot be used; `reason` names which polite page to show."""

    reason = "invalid"


class TicketInvalid(TicketRefused):
    """Not a token we signed (forged, altered or truncated), or not for this touchpoint."""


class TicketExpired(TicketRefused):
    """A genuine token past its validity."""

    reason = "expired"


class TicketUsed(TicketRefused):
    """The ticket's nonce was already used: the response is not counted again."""

    reason = "used"


class TicketClosed(TicketRefused):
    """The ticket's touchpoint was revoked since it was issued."""

    reason = "closed"


class TicketForbidden(SurveyError):
    """The API key's unit does not own the touchpoint."""


class TicketRequestInvalid(SurveyError):
    """Bad issuing request; `errors` maps each field to a problem code."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{field}: {problem}" for field, problem in errors.items()))
        self.errors = errors


class UnitNotFound(SurveyError, LookupError):
    """No unit has this code."""


class StaffNotFound(SurveyError, LookupError):
    """No staff member has this NIP."""


class StaffOfAnotherUnit(SurveyError):
    """The staff member works outside the unit (tree) asking for their scores."""
class NotAllowed(SurveyError):
    """The user may not manage this unit (a unit manager of another unit)."""


class AlreadyReplaced(SurveyError):
    """A revoked code whose counter or officer already has an active code: no second one."""


class InvalidPeriod(SurveyError, ValueError):
    """A period code that does not follow 2026, 2026-S1, 2026-Q3 or 2026-07 (years 2000-2100)."""


class InvalidRange(SurveyError, ValueError):
    """A date range that is empty or given together with a period."""


class PaperImportError(SurveyError):
    """An import refused as a whole; `problems` lists every bad row and column (Indonesian)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class CsvAnswerError(SurveyError, ValueError):
    """A CSV that cannot be read as answers; the message (Indonesian) names line and column."""

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class InvalidBaseUrl(SurveyError, ValueError):
    """A base URL that is not an absolute http(s) address."""


class WrongPassword(SurveyError):
    """The current password given to confirm a change is not the user's."""


class WeakPassword(SurveyError):
    """A new password shorter than the minimum length."""


class StaffRefused(SurveyError, ValueError):
    """A staff or roster change that would break the data; `field` is the form field to blame,
    `code` the reason: 'nip_taken', 'unit_not_managed', 'overlap', 'inactive_staff', ..."""

    def __init__(self, field: str, code: str):
        super().__init__(f"{field}: {code}")
        self.field, self.code = field, code


class StaffImportError(SurveyError):
    """A staff file refused as a whole; `problems` lists every bad row and column."""

    def __init__(self, problems: list):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems
class AccountRefused(SurveyError, ValueError):
    """A change to a user or their role grants that would break the data or lock everyone out;
    `reason` names which (the web layer and the CLI word it), `field` the form field concerned,
    `detail` the value at fault (a NIP, a username)."""

    def __init__(self, reason: str, field: str | None = None, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.field = field
        self.detail = detail
class NotReviewable(SurveyError, LookupError):
    """Responses a flag decision named that are not flagged responses of the reviewer's unit:
    unknown, of another unit, or never flagged. `ids` lists them; nothing was changed."""

    def __init__(self, ids: list[int]):
        super().__init__(", ".join(str(i) for i in ids))
        self.ids = ids


class RecordRefused(SurveyError):
    """A change to an evaluation record, keberatan, objection, co-worker round or IKU target that
    its state or the rules do not allow; `code` names the reason (the web layer words it):
    'final_read_only', 'not_draft', 'not_final', 'window_closed', 'incomplete', 'exists', ..."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(f"{field}: {code}" if field else code)
        self.code, self.field = code, field


class PublicationRefused(SurveyError):
    """A publication step its state or the rules do not allow; `code` names the reason (the web
    layer words it): 'exists', 'published', 'in_review', 'not_draft', 'not_published',
    'review_closed', or a text field's 'required' / 'too_long' / 'control'."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(f"{field}: {code}" if field else code)
        self.code, self.field = code, field


class ComplaintRefused(SurveyError):
    """A change to a complaint its state or the rules do not allow; `code` names the reason (the
    web layer words it): 'reply_required' (selesai without a reply), 'unknown_handler',
    'unknown_status', 'personal_data' (a public reply with an e-mail address or a phone number),
    'officer_name' (a public reply naming an officer), 'not_published', or a text field's 'required' / 'too_long' / 'control'."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(f"{field}: {code}" if field else code)
        self.code, self.field = code, field


class ForumRefused(SurveyError):
    """A change to a forum session, decision or follow-up action the rules do not allow; `code`
    names the reason (the web layer words it): 'evidence_required' (selesai without evidence),
    'unknown_status', 'has_actions', 'bad_date', 'in_future', 'before_session', 'not_a_count',
    'negative', 'too_many', 'no_participants', 'unknown_group', 'personal_data', 'officer_name',
    or a text field's 'required' / 'too_long' / 'control'."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(f"{field}: {code}" if field else code)
        self.code, self.field = code, field
