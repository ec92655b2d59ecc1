"""Small-number suppression (DESIGN §6, the NHS Friends and Family Test rules) on worked examples,
and its guarantees over random trees of counts: no shown count of 1–4, no group with a shown total
and exactly one hidden cell that another could cover, no hidden parent whose children add up to it."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.suppression import MARK, Cell, index_rule, shown_count, suppressed


def test_a_count_of_one_to_four_and_the_next_smallest_sibling_are_hidden():
    # 3 is hidden; the total of the three would give it away, so 20 (the next smallest above
    # zero) goes too; 0 and 41 stay.
    cells = [Cell("a", 3), Cell("b", 20), Cell("c", 0), Cell("d", 41)]
    assert suppressed(cells) == {"a", "b"}


def test_two_small_cells_protect_each_other():
    assert suppressed([Cell("a", 2), Cell("b", 4), Cell("c", 30), Cell("d", 31)]) == {"a", "b"}


def test_five_is_shown_and_nothing_else_moves():
    assert suppressed([Cell("a", 5), Cell("b", 0), Cell("c", 12)]) == set()


def test_a_unit_hidden_by_the_secondary_rule_hides_its_two_smallest_services():
    cells = [
        Cell("org", 200),
        Cell("u1", 3, "org"), Cell("u2", 50, "org"), Cell("u3", 147, "org"),
        Cell("u1/ktp", 3, "u1"),
        Cell("u2/ktp", 20, "u2"), Cell("u2/kk", 25, "u2"), Cell("u2/akta", 5, "u2"),
        Cell("u3/ktp", 70, "u3"), Cell("u3/kk", 77, "u3"),
    ]
    # u1 (3) by count; u2, the next smallest unit, so that org − u3 does not give u1; u2's two
    # smallest services (5 and 20) so that they cannot add up to u2; u1's only service by count.
    assert suppressed(cells) == {"u1", "u2", "u2/akta", "u2/ktp", "u1/ktp"}


def test_a_hidden_parent_with_one_hidden_child_hides_one_more():
    cells = [Cell("p", 4), Cell("q", 90),
             Cell("p/a", 4, "p"), Cell("p/b", 0, "p"),
             Cell("q/a", 2, "q"), Cell("q/b", 40, "q"), Cell("q/c", 48, "q")]
    # p by count, q as its sibling; p's children: its 4 is hidden, the 0 is the only one left
    # (a zero is the last resort); q's: the 2 by count, then 40 as the next smallest.
    assert suppressed(cells) == {"p", "q", "p/a", "p/b", "q/a", "q/b"}


def test_a_zero_is_hidden_only_when_nothing_else_can_cover():
    assert suppressed([Cell("a", 2), Cell("z", 0)]) == {"a", "z"}
    assert suppressed([Cell("a", 2), Cell("z", 0), Cell("b", 7)]) == {"a", "b"}


def test_the_mark_replaces_a_hidden_count_only():
    assert (shown_count(3, True), shown_count(12, False), shown_count(0, False)) == (MARK, 12, 0)


@pytest.mark.parametrize(("n", "target", "shown", "caution", "below"), [
    (0, None, False, True, False),
    (9, None, False, True, False),
    (10, None, True, True, False),
    (99, 98, True, True, False),
    (100, 379, True, False, True),
    (379, 379, True, False, False),
])
def test_an_index_needs_10_respondents_and_warns_under_100_and_below_target(
        n, target, shown, caution, below):
    rule = index_rule(n, target)
    assert (rule.shown, rule.caution, rule.below_target) == (shown, caution, below)


@pytest.mark.parametrize("cells", [
    [Cell("a", 1), Cell("a", 2)],
    [Cell("a", 1, "nobody")],
    [Cell("a", -1)],
])
def test_malformed_tables_are_refused(cells):
    with pytest.raises(ValueError):
        suppressed(cells)


@st.composite
def trees(draw):
    """A random two- or three-level table: top cells, their children, grandchildren."""
    cells, frontier = [], [None]
    for depth in range(draw(st.integers(1, 3))):
        next_frontier = []
        for parent in frontier:
            for k in range(draw(st.integers(1 if depth == 0 else 0, 4))):
                key = f"{parent or ''}/{k}"
                cells.append(Cell(key, draw(st.integers(0, 40)), parent))
                next_frontier.append(key)
        frontier = next_frontier
    return cells


@settings(max_examples=300, deadline=None)
@given(trees())
def test_the_guarantees_hold_on_any_table(cells):
    hidden = suppressed(cells)
    groups: dict = {}
    for cell in cells:
        groups.setdefault(cell.parent, []).append(cell)
    for cell in cells:
        if 1 <= cell.count <= 4:
            assert cell.key in hidden
    for parent, group in groups.items():
        inside = [c for c in group if c.key in hidden]
        if parent in hidden:
            assert len(inside) >= min(2, len(group))
        elif len(inside) == 1:
            assert len(group) == 1, "a lone hidden cell among siblings could be worked out"
