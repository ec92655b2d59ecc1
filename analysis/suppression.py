"""Small-number suppression of public counts, as the NHS Friends and Family Test does it (DESIGN §6).

A count of 1–4 respondents is shown as "*" (primary). Where one cell of a group of siblings is
hidden and their parent's total is shown, the next-smallest sibling is hidden too, so the total
cannot give the hidden one away (secondary). A hidden parent hides its two smallest children, so
its children cannot add up to it (cascade). The rules are applied until nothing changes. An index
(IKM) needs at least `INDEX_MIN` respondents and carries a warning under `CAUTION_BELOW`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

PRIMARY_MAX = 4  # counts 1..PRIMARY_MAX are shown as "*"
INDEX_MIN = 10  # no index over fewer respondents
CAUTION_BELOW = 100  # an index over fewer carries "gunakan dengan hati-hati"
MARK = "*"


@dataclass(frozen=True)
class Cell:
    """One public count: `parent` is the key of the cell it adds up into (None for a top cell,
    whose siblings are the other top cells and whose total is taken as shown)."""

    key: Hashable
    count: int
    parent: Hashable | None = None


def suppressed(cells: Iterable[Cell]) -> set[Hashable]:
    """The keys of the cells to show as "*"."""
    cells = list(cells)
    by_key = {cell.key: cell for cell in cells}
    if len(by_key) != len(cells):
        raise ValueError("every cell needs its own key")
    children: dict[Hashable | None, list[Cell]] = defaultdict(list)
    for cell in cells:
        if cell.count < 0:
            raise ValueError(f"negative count for {cell.key!r}")
        if cell.parent is not None and cell.parent not in by_key:
            raise ValueError(f"unknown parent {cell.parent!r} of {cell.key!r}")
        children[cell.parent].append(cell)
    hidden = {cell.key for cell in cells if 1 <= cell.count <= PRIMARY_MAX}
    changed = True
    while changed:
        before = len(hidden)
        for parent, group in children.items():
            inside = [cell for cell in group if cell.key in hidden]
            if parent in hidden:  # cascade: the children must not add up to the parent
                hidden.update(cell.key for cell in _smallest(group, hidden, 2 - len(inside)))
            elif len(inside) == 1:  # secondary: the shown total must not give it away
                hidden.update(cell.key for cell in _smallest(group, hidden, 1))
        changed = len(hidden) != before
    return hidden


def _smallest(group: list[Cell], hidden: set, how_many: int) -> list[Cell]:
    """The `how_many` smallest shown cells of `group`, counts above zero first (hiding a zero
    protects as well, but reads as 1–4, so it is the last resort)."""
    if how_many <= 0:
        return []
    shown = [cell for cell in group if cell.key not in hidden]
    shown.sort(key=lambda cell: (cell.count == 0, cell.count, str(cell.key)))
    return shown[:how_many]


def shown_count(count: int, hidden: bool) -> int | str:
    """What a table prints for a count: the number, or the mark."""
    return MARK if hidden else count


@dataclass(frozen=True)
class IndexRule:
    """Whether an index over `n` respondents may be shown and with which warnings."""

    shown: bool
    caution: bool
    below_target: bool


def index_rule(n: int, target: int | None = None) -> IndexRule:
    """An index is shown from `INDEX_MIN` respondents, with a caution under `CAUTION_BELOW`, and
    a data-quality flag when `n` is below the unit's Krejcie–Morgan `target` (None: unknown)."""
    return IndexRule(shown=n >= INDEX_MIN, caution=n < CAUTION_BELOW,
                     below_target=target is not None and n < target)
