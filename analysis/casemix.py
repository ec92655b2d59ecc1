"""Case-mix adjusted officer scores: officer fixed effects plus what officers do not control.

A regression of the per-response officer score on officer dummies and adjuster dummies (service,
channel, respondent profile). The design is constant within a cell of officer × adjuster levels,
so weighted least squares on cell means with weights n gives exactly the coefficients of OLS on
the raw rows, and the residual sum of squares is the within-cell SS plus the weighted residual SS
of the cell means: no raw response is needed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from analysis.errors import AnalysisError
from analysis.version import METHOD

UNKNOWN = "unknown"
MIN_LEVEL_N = 30  # a level with fewer responses is pooled into the adjuster's reference level
MAX_UNKNOWN_SHARE = 0.5  # an adjuster unknown for more than half the responses is dropped


@dataclass(frozen=True)
class CaseMix:
    """Adjusted beside unadjusted officer scores, and the adjusters behind the difference.

    `officers`: officer, n, unadjusted, adjusted, se, ci_low, ci_high (t with `df`).
    `effects`: adjuster, level, reference, n, effect, se (difference from the reference level).
    `dropped`: adjuster → why it was not used; `pooled`: adjuster → levels merged into the
    reference for having fewer than MIN_LEVEL_N responses.
    """

    officers: pd.DataFrame
    effects: pd.DataFrame
    adjusters: list[str]
    dropped: dict[str, str]
    pooled: dict[str, list[str]] = field(default_factory=dict)
    aliased: list[str] = field(default_factory=list)  # "adjuster=level" dummies left out
    sigma2: float = float("nan")  # residual variance of a response
    df: int = 0
    confidence: float = 0.95
    method: str = "casemix-ols-officer-fe/1"
    version: str = METHOD


def _levels(cells: pd.DataFrame, adjuster: str, min_level_n: int):
    """(column of levels after pooling, reference level, pooled levels) of one adjuster."""
    column = cells[adjuster].fillna(UNKNOWN).astype(str)
    totals = cells.groupby(column, sort=True)["n"].sum()
    reference = totals.sort_values(ascending=False, kind="stable").index[0]
    pooled = sorted(level for level, count in totals.items()
                    if count < min_level_n and level != reference)
    column = column.where(~column.isin(pooled), reference)
    return column, reference, pooled


def _drop_reason(cells, column, officer_codes) -> str | None:
    share_unknown = cells["n"][column == UNKNOWN].sum() / cells["n"].sum()
    if share_unknown > MAX_UNKNOWN_SHARE:
        return f"unknown for {share_unknown:.0%} of responses"
    if column.nunique() < 2:
        return f"fewer than two levels with at least {MIN_LEVEL_N} responses"
    per_officer = pd.Series(column.to_numpy()).groupby(officer_codes).nunique()
    if (per_officer < 2).all():
        return "no officer has responses at two levels: confounded with the officer"
    return None


def _independent_columns(design: np.ndarray, first: int, tolerance: float = 1e-9) -> list[int]:
    """Indices of the columns kept when each column after `first` is dropped if it lies in the
    span of those kept before it (Gram-Schmidt in column order): aliased dummies go."""
    basis: list[np.ndarray] = []
    kept = []
    for index in range(design.shape[1]):
        column = design[:, index]
        residual = column.copy()
        for _ in range(2):  # twice is enough for numerical orthogonality
            for vector in basis:
                residual -= (vector @ residual) * vector
        norm = float(np.linalg.norm(residual))
        if index < first or norm > tolerance * max(1.0, float(np.linalg.norm(column))):
            basis.append(residual / norm)
            kept.append(index)
    return kept


def casemix_adjusted(
    cells: pd.DataFrame,
    adjusters: list[str],
    *,
    group: str | None = None,
    min_level_n: int = MIN_LEVEL_N,
    confidence: float = 0.95,
) -> CaseMix:
    """Officer scores adjusted for `adjusters`, from cells `officer, *adjusters, n, sum, sumsq`.

    Rule for too little data: levels with fewer than `min_level_n` responses are pooled into the
    adjuster's most common level (its reference); an adjuster is dropped when it is unknown for
    more than half the responses, has fewer than two levels left, or never varies within an
    officer. A dummy that is a combination of the officer dummies and the dummies before it
    (e.g. the last service of a unit when services are nested in units) is aliased: left out,
    and listed in `aliased`; effects of nested levels are then contrasts within their group.
    Adjusted score = the officer's predicted score at the average case mix (the n-weighted mean
    of every adjuster dummy) of all cells or, with `group` (e.g. "unit"), of the officer's group.
    """
    missing = {"officer", "n", "sum", "sumsq", *adjusters, *([group] if group else [])}
    missing -= set(cells.columns)
    if missing:
        raise ValueError(f"case-mix cells lack the columns {sorted(missing)}")
    cells = cells[cells["n"] > 0].reset_index(drop=True)
    if cells.empty:
        raise AnalysisError("case-mix adjustment needs at least one response")
    n = cells["n"].to_numpy(dtype=float)
    total = cells["sum"].to_numpy(dtype=float)
    mean = total / n
    within = float(np.maximum(cells["sumsq"].to_numpy(dtype=float) - total * mean, 0).sum())
    officer_codes, officers = pd.factorize(cells["officer"], sort=False)
    k = len(officers)

    dropped: dict[str, str] = {}
    pooled: dict[str, list[str]] = {}
    names, columns = [], []
    for adjuster in adjusters:
        column, reference, rare = _levels(cells, adjuster, min_level_n)
        reason = _drop_reason(cells, column, officer_codes)
        if reason:
            dropped[adjuster] = reason
            continue
        if rare:
            pooled[adjuster] = rare
        for level in sorted(set(column) - {reference}):
            is_level = (column == level).to_numpy()
            names.append((adjuster, level, reference, int(n[is_level].sum())))
            columns.append(is_level.astype(float))

    full = np.column_stack([np.eye(k)[officer_codes], *columns])
    kept = _independent_columns(full * np.sqrt(n)[:, None], first=k)
    aliased = [f"{names[i - k][0]}={names[i - k][1]}" for i in range(k, full.shape[1])
               if i not in kept]
    names = [names[i - k] for i in kept[k:]]
    design = full[:, kept]
    used = sorted({name[0] for name in names}, key=adjusters.index)
    for adjuster in adjusters:
        if adjuster not in used and adjuster not in dropped:
            dropped[adjuster] = "every level aliased with the officers or other adjusters"
            pooled.pop(adjuster, None)

    weight = np.sqrt(n)[:, None]
    coefficients, *_ = np.linalg.lstsq(design * weight, mean * weight[:, 0], rcond=None)
    residual = mean - design @ coefficients
    df = int(round(n.sum())) - design.shape[1]
    if df < 1:
        raise AnalysisError("case-mix adjustment needs more responses than coefficients")
    sigma2 = (within + float(np.sum(n * residual**2))) / df
    covariance = sigma2 * np.linalg.inv(design.T @ (design * n[:, None]))

    full_contrast = np.hstack([np.eye(k), _average_mix(full[:, k:], n, cells, officer_codes, k,
                                                       group)])
    if not _estimable(full * np.sqrt(n)[:, None], full_contrast):
        raise AnalysisError(
            "officers' scores at this average case mix are not estimable: an adjuster is nested "
            "within groups of officers (e.g. services within units); compare within a group")
    contrast = full_contrast[:, kept]
    adjusted = contrast @ coefficients
    se = np.sqrt(np.einsum("ij,jk,ik->i", contrast, covariance, contrast))
    quantile = float(stats.t.ppf(0.5 + confidence / 2, df))
    officer_n = np.bincount(officer_codes, weights=n)
    unadjusted = np.bincount(officer_codes, weights=total) / officer_n

    officer_frame = pd.DataFrame({
        "officer": list(officers), "n": officer_n.astype(int), "unadjusted": unadjusted,
        "adjusted": adjusted, "se": se, "ci_low": adjusted - quantile * se,
        "ci_high": adjusted + quantile * se,
    })
    effects = pd.DataFrame(
        [{"adjuster": a, "level": level, "reference": ref, "n": count,
          "effect": float(coefficients[k + i]), "se": float(np.sqrt(covariance[k + i, k + i]))}
         for i, (a, level, ref, count) in enumerate(names)],
        columns=["adjuster", "level", "reference", "n", "effect", "se"])
    return CaseMix(officer_frame, effects, used, dropped, pooled, aliased, float(sigma2), df,
                   confidence)


def _estimable(design: np.ndarray, contrasts: np.ndarray) -> bool:
    """Whether every row of `contrasts` lies in the row space of `design` (then its estimate
    does not depend on which aliased dummies were left out)."""
    solution, *_ = np.linalg.lstsq(design.T, contrasts.T, rcond=None)
    gap = np.abs(design.T @ solution - contrasts.T).max()
    return bool(gap <= 1e-7 * max(1.0, np.abs(contrasts).max()))


def _average_mix(dummies, n, cells, officer_codes, k, group) -> np.ndarray:
    """Row o: the n-weighted mean of the adjuster dummies over all cells, or over the cells of
    officer o's group."""
    if dummies.shape[1] == 0:
        return np.empty((k, 0))
    if group is None:
        return np.tile((n @ dummies) / n.sum(), (k, 1))
    group_codes, _ = pd.factorize(cells[group].astype(str))
    officer_group = np.zeros(k, dtype=int)
    officer_group[officer_codes] = group_codes
    if (pd.Series(group_codes).groupby(officer_codes).nunique() > 1).any():
        raise ValueError(f"every officer must belong to one {group}")
    sums = np.zeros((group_codes.max() + 1, dummies.shape[1]))
    np.add.at(sums, group_codes, dummies * n[:, None])
    totals = np.bincount(group_codes, weights=n)
    return (sums / totals[:, None])[officer_group]
