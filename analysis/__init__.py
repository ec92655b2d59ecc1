"""Pure statistics for the satisfaction index (SKM/IKM, PermenPANRB 14/2017).

Imports only numpy, pandas, scipy and the standard library: no database, no web layer, no I/O,
so every number can be checked in isolation and reused by the CLI, the API and the dashboards.
"""
from analysis.errors import AnalysisError, NoRespondents, PopulationTooSmall, UnansweredUnsur
from analysis.grading import BANDS, Band, classify, round_half_up
from analysis.ikm import METHOD, WEIGHTS, IkmResult, UnsurResult, compute_ikm, unsur_columns
from analysis.intervals import t_interval
from analysis.sample import (
    CHI_SQUARE,
    SampleAdequacy,
    assess_sample,
    krejcie_morgan_target,
    margin_of_error,
    required_sample_size,
)

__all__ = [
    "AnalysisError",
    "NoRespondents",
    "PopulationTooSmall",
    "UnansweredUnsur",
    "BANDS",
    "CHI_SQUARE",
    "METHOD",
    "WEIGHTS",
    "Band",
    "IkmResult",
    "SampleAdequacy",
    "UnsurResult",
    "assess_sample",
    "classify",
    "compute_ikm",
    "krejcie_morgan_target",
    "margin_of_error",
    "required_sample_size",
    "round_half_up",
    "t_interval",
    "unsur_columns",
]
