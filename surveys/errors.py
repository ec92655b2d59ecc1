"""Domain errors raised by the use cases; the web layer turns them into pages and messages."""


class SurveyError(Exception):
    """Base class of the domain's refusals."""


class TouchpointNotFound(SurveyError):
    """No touchpoint has this public code."""


class TouchpointClosed(SurveyError):
    """The touchpoint's code was revoked: old posters must stop collecting answers."""


class InvalidSubmission(SurveyError):
    """A response that breaks the instrument's rules; nothing is saved.

    `errors` maps each field name (U1..U9, OFFICER, COMMENT, staff, service) to a problem code:
    'required', 'not_an_integer', 'out_of_range', 'too_long', 'unknown', 'not_in_unit'.
    """

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{field}: {problem}" for field, problem in errors.items()))
        self.errors = errors


class UnitNotFound(SurveyError, LookupError):
    """No unit has this code."""


class StaffNotFound(SurveyError, LookupError):
    """No staff member has this NIP."""


class StaffOfAnotherUnit(SurveyError):
    """The staff member works outside the unit (tree) asking for their scores."""
