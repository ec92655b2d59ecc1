"""Pure statistics for the satisfaction index (SKM/IKM, PermenPANRB 14/2017) and officer scores.

Imports only numpy, pandas, scipy and the standard library: no database, no web layer, no I/O,
so every number can be checked in isolation and reused by the CLI, the API and the dashboards.
Every result carries `METHOD`, the analysis method version.
"""
from analysis.casemix import CaseMix, casemix_adjusted
from analysis.compare import Comparison, Summary, Trend, benjamini_hochberg, compare_periods, trend
from analysis.errors import AnalysisError, NoRespondents, PopulationTooSmall, UnansweredUnsur
from analysis.funnel import funnel_limits, funnel_position
from analysis.grading import (
    BANDS,
    Band,
    band_edges,
    band_probability,
    ceiling_band_probability,
    classify,
    grade_label,
    round_half_up,
)
from analysis.ikm import (
    WEIGHTS,
    IkmResult,
    IndexExtras,
    UnsurResult,
    compute_ikm,
    index_extras,
    unsur_columns,
)
from analysis.intervals import (
    clopper_pearson_ceiling,
    clustered_percent_satisfied,
    ikm_interval,
    logit_interval,
    percent_satisfied,
    t_interval,
    wilson_interval,
)
from analysis.officers import OfficerScores, n_for_reliability, officer_scores
from analysis.sample import (
    CHI_SQUARE,
    SampleAdequacy,
    assess_sample,
    krejcie_morgan_target,
    margin_of_error,
    required_sample_size,
)
from analysis.version import METHOD

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
    "CaseMix",
    "Comparison",
    "IkmResult",
    "IndexExtras",
    "OfficerScores",
    "SampleAdequacy",
    "Summary",
    "Trend",
    "UnsurResult",
    "assess_sample",
    "band_edges",
    "band_probability",
    "benjamini_hochberg",
    "casemix_adjusted",
    "ceiling_band_probability",
    "classify",
    "clopper_pearson_ceiling",
    "clustered_percent_satisfied",
    "compare_periods",
    "compute_ikm",
    "funnel_limits",
    "funnel_position",
    "grade_label",
    "ikm_interval",
    "index_extras",
    "krejcie_morgan_target",
    "logit_interval",
    "margin_of_error",
    "n_for_reliability",
    "officer_scores",
    "percent_satisfied",
    "required_sample_size",
    "round_half_up",
    "t_interval",
    "trend",
    "unsur_columns",
    "wilson_interval",
]
