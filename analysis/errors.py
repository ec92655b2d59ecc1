"""Why an index cannot be computed; callers translate these for their users (e.g. the CLI)."""
from __future__ import annotations


class AnalysisError(ValueError):
    """Input on which a statistic is undefined."""


class NoRespondents(AnalysisError):
    """Not a single answered questionnaire."""

    def __init__(self) -> None:
        super().__init__("no respondents: the IKM needs at least one answered questionnaire")


class UnansweredUnsur(AnalysisError):
    """An unsur nobody answered: its NRR, and so the IKM, is undefined."""

    def __init__(self, code: str) -> None:
        super().__init__(f"unsur {code}: nobody answered it, so the IKM is undefined")
        self.code = code


class PopulationTooSmall(AnalysisError):
    """A population smaller than the sample drawn from it."""

    def __init__(self, population: int, n: int) -> None:
        super().__init__(
            f"population {population} is smaller than the {n} respondents in the sample"
        )
        self.population = population
        self.n = n
