"""The dashboard's charts, drawn on the server as small SVG images (matplotlib, no pyplot).

Each chart is drawn from exactly the rows of the data table printed beside it, so the two
cannot disagree; text stays text (`svg.fonttype: none`) and the output is deterministic (fixed
hash salt, no date), so a chart is cached by its rows: the same unit, period and data give the
same image without drawing again, and new data can never be served a stale image.
"""
from __future__ import annotations

import io
from base64 import b64encode
from functools import lru_cache

import matplotlib
from matplotlib.figure import Figure

SVG_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "suara-warga",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # shipped with matplotlib; the browser may substitute
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": True,
}
INK, MUTED, ALERT, LIMIT = "#1f4e79", "#8c8c8c", "#b3261e", "#b58a00"
SIZE = (6.4, 2.8)  # inches at 72 dpi for SVG: 460 × 200 px
CACHE_SIZE = 256


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # no XML prolog or DOCTYPE: the image is one element


def data_uri(svg: str) -> str:
    """An `<img src>` for the SVG: the page's Content-Security-Policy allows images from data:
    URIs, and styles inside an image never need the page's permission."""
    return "data:image/svg+xml;base64," + b64encode(svg.encode()).decode()


def _axes(height: float = SIZE[1]):
    figure = Figure(figsize=(SIZE[0], height), layout="constrained")
    return figure, figure.add_subplot()


@lru_cache(maxsize=CACHE_SIZE)
def trend_chart(key: tuple, rows: tuple, ylabel: str) -> str:
    """Monthly IKM with its 95% interval and the grade edges B and A dashed. rows: (month,
    ikm, low, high); a month without an index (ikm None) is left out of the drawing. `key`
    (unit, period) names the cache entry."""
    with matplotlib.rc_context(SVG_STYLE):
        figure, axes = _axes()
        drawn = [(x, row) for x, row in enumerate(rows) if row[1] is not None]
        xs = [x for x, _ in drawn]
        for edge in (76.61, 88.31):  # the lower edges of grades B and A
            axes.axhline(edge, color=MUTED, linewidth=0.6, linestyle="--", gid="bands")
        axes.vlines(xs, [row[2] for _, row in drawn], [row[3] for _, row in drawn],
                    color=INK, linewidth=1.2, gid="intervals")
        axes.plot(xs, [row[1] for _, row in drawn], color=INK, marker="o", markersize=4,
                  linewidth=1, gid="points")
        axes.set_xticks(range(len(rows)), [row[0] for row in rows])
        axes.set_xlim(-0.5, len(rows) - 0.5)
        axes.set_ylabel(ylabel)
        axes.tick_params(axis="x", labelsize=8)
        return _svg(figure)


@lru_cache(maxsize=CACHE_SIZE)
def unsur_chart(key: tuple, rows: tuple, text: tuple[str, str]) -> str:
    """NRR of each unsur (1-4) with its 95% interval, the weakest drawn apart. rows: (code,
    nrr, low, high, weakest); text: (x axis label, the weakest's label)."""
    with matplotlib.rc_context(SVG_STYLE):
        figure, axes = _axes(height=0.28 * len(rows) + 0.8)
        ys = list(range(len(rows)))[::-1]  # U1 on top
        axes.hlines(ys, [row[2] for row in rows], [row[3] for row in rows], color=INK,
                    linewidth=1.2, gid="intervals")
        usual = [(y, row) for y, row in zip(ys, rows) if not row[4]]
        weakest = [(y, row) for y, row in zip(ys, rows) if row[4]]
        axes.plot([row[1] for _, row in usual], [y for y, _ in usual], linestyle="none",
                  marker="o", markersize=4, color=INK, gid="points")
        axes.plot([row[1] for _, row in weakest], [y for y, _ in weakest], linestyle="none",
                  marker="D", markersize=5, color=ALERT, gid="weakest")
        for y, row in weakest:
            axes.annotate(text[1], (row[3], y), xytext=(4, -3), textcoords="offset points",
                          color=ALERT, fontsize=8)
        axes.set_yticks(ys, [row[0] for row in rows])
        low = min([row[2] for row in rows] + [3.0])
        axes.set_xlim(max(1.0, low - 0.1), 4.0)
        axes.set_xlabel(text[0])
        return _svg(figure)


@lru_cache(maxsize=CACHE_SIZE)
def funnel_chart(key: tuple, rows: tuple, curve: tuple, text: tuple[str, ...],
                 own: int | None = None) -> str:
    """Officers' raw scores minus their unit's mean against n, inside the 95% and 99.8% limits.
    rows: (number, n, difference); curve: (n, half width 95%, half width 99.8%) along n; dots
    carry their table number, never a name. text: (x label, y label, legend of the limits) and,
    with `own` (the number of the viewer's own dot: an officer's page), the own dot's label:
    that dot is drawn apart and labelled, the others carry no number (anonymous)."""
    with matplotlib.rc_context(SVG_STYLE):
        figure, axes = _axes(height=3.2)
        grid = [point[0] for point in curve]
        for index, style in ((1, "--"), (2, ":")):
            half = [point[index] for point in curve]
            axes.plot(grid, half, color=LIMIT, linewidth=0.9, linestyle=style,
                      gid=f"limits_{index}")
            axes.plot(grid, [-h for h in half], color=LIMIT, linewidth=0.9, linestyle=style,
                      gid=f"limits_{index}_low")
        axes.axhline(0, color=MUTED, linewidth=0.8)
        others = [row for row in rows if row[0] != own]
        axes.plot([row[1] for row in others], [row[2] for row in others], linestyle="none",
                  marker="o", markersize=4, color=INK if own is None else MUTED, gid="points")
        for number, n, difference in rows:
            if own is None or number == own:
                label = str(number) if own is None else text[3]
                axes.annotate(label, (n, difference), xytext=(3, 2),
                              textcoords="offset points", fontsize=7,
                              color=INK if own is None else ALERT)
        mine = [row for row in rows if row[0] == own]
        if mine:
            axes.plot([mine[0][1]], [mine[0][2]], linestyle="none", marker="D", markersize=6,
                      color=ALERT, gid="own")
        axes.set_xlabel(text[0])
        axes.set_ylabel(text[1])
        axes.set_xlim(0, max([row[1] for row in rows] + grid) * 1.05)
        smallest = min(rows, key=lambda row: row[1])[1]
        reach = max([abs(row[2]) for row in rows]
                    + [point[2] for point in curve if point[0] >= smallest][:1])
        axes.set_ylim(-1.15 * reach, 1.15 * reach)
        axes.set_title(text[2], fontsize=8, loc="left", color=MUTED)
        return _svg(figure)


def officer_funnel_chart(key: tuple, officers, text: tuple[str, str, str, str]) -> str | None:
    """An officer's own page's funnel (`surveys.reporting.dashboard.Officers` with one `focus`
    dot) as a data URI: their dot labelled, the others anonymous; None with nothing to draw."""
    if not officers.rows:
        return None
    own = next((row.number for row in officers.rows if row.focus), None)
    rows = tuple((row.number, row.n, row.difference) for row in officers.rows)
    return data_uri(funnel_chart(key, rows, officers.curve, text, own=own if own else -1))


def dashboard_charts(board, text: dict[str, str]) -> dict[str, str | None]:
    """The three charts of a `surveys.reporting.dashboard.Dashboard` as data URIs (None when
    there is nothing to draw), from the same numbers as its tables."""
    key = (board.unit.code, board.current.period.code)
    out: dict[str, str | None] = {"trend": None, "unsur": None, "funnel": None}
    months = tuple((m.code, *_point(m.result)) for m in board.months)
    if any(row[1] is not None for row in months):
        out["trend"] = data_uri(trend_chart(key, months, text["ikm"]))
    result = board.current.with_flagged.result
    if result is not None and all(item.ci95 for item in result.unsur):
        rows = tuple((item.code, item.nrr, *item.ci95, item.code == board.weakest)
                     for item in result.unsur)
        out["unsur"] = data_uri(unsur_chart(key, rows, (text["nrr"], text["weakest"])))
    officers = board.officers
    if officers.rows:
        rows = tuple((row.number, row.n, row.difference) for row in officers.rows)
        out["funnel"] = data_uri(funnel_chart(key, rows, officers.curve,
                                              (text["n"], text["difference"], text["limits"])))
    return out


def _point(result) -> tuple:
    if result is None or result.ci95 is None:
        return (None, None, None)
    return (result.ikm_exact, *result.ci95)


def sparkline(values: tuple[float | None, ...], width: int = 72, height: int = 20) -> str:
    """A unit's few published IKM values as a tiny line (a data URI). Four points need no
    plotting library: a plain SVG polyline of ~300 bytes keeps a portal of many units light.
    The numbers themselves are printed beside it; a missing value breaks the line."""
    drawn = [(i, v) for i, v in enumerate(values) if v is not None]
    low = min(v for _, v in drawn) if drawn else 0
    high = max(v for _, v in drawn) if drawn else 1
    span = (high - low) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)

    def point(i: int, v: float) -> str:
        return f"{2 + i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"

    pieces, run = [], []
    for i, v in enumerate(values):
        if v is None:
            pieces.append(run)
            run = []
        else:
            run.append(point(i, v))
    pieces.append(run)
    lines = "".join(f'<polyline points="{" ".join(run)}" fill="none" stroke="{INK}" '
                    f'stroke-width="1.5"/>' for run in pieces if len(run) > 1)
    dots = "".join(f'<circle cx="{x}" cy="{y}" r="1.8" fill="{INK}"/>'
                   for x, y in (point(i, v).split(",") for i, v in drawn))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}">{lines}{dots}</svg>')
    return data_uri(svg)
