"""Accessible server-side SVG charts for the dashboards (SPEC §3), with no dependency.

Each chart is an `<svg role="img">` whose `<title>` and `<desc>` say what it shows (both
given by the caller, translated: this module has no words of its own); the page puts the
same figures in a data table next to it, so nothing is conveyed by the
drawing (or its colours) alone. Series differ by colour *and* by line style or hatching.
Pure module: no Django import.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 84, 16, 28, 56
COLOURS = ("#000091", "#c9191e", "#18753c")  # DSFR blue, red, green: contrast ≥ 4.5:1 on white
DASHES = ("", "6 4", "2 3")
_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _fmt_default(value: float) -> str:
    return f"{value:g}"


def _nice_max(value: float) -> float:
    """A round upper bound for the axis (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** len(str(int(value))) / 10 if value >= 1 else 1.0
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def _frame(title: str, description: str, body: list[str], legend: Sequence[str]) -> str:
    uid = next(_ids)
    items = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart{uid}-t chart{uid}-d" class="decroche-chart" '
        f'font-family="Marianne, arial, sans-serif" '
        f'font-size="11">',
        f'<title id="chart{uid}-t">{escape(title)}</title>',
        f'<desc id="chart{uid}-d">{escape(description)}</desc>',
        *body,
    ]
    for index, name in enumerate(legend):
        x = LEFT + index * 200
        colour, dash = COLOURS[index % 3], DASHES[index % 3]
        items.append(
            f'<line x1="{x}" y1="12" x2="{x + 24}" y2="12" stroke="{colour}" stroke-width="3" '
            f'stroke-dasharray="{dash}"/><text x="{x + 30}" y="16">{escape(name)}</text>'
        )
    items.append("</svg>")
    return "".join(items)


def _y_axis(top_value: float, fmt: Callable[[float], str]) -> list[str]:
    plot_height = HEIGHT - TOP - BOTTOM
    parts = []
    for tick in range(5):
        value = top_value * tick / 4
        y = HEIGHT - BOTTOM - plot_height * tick / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(fmt(value))}</text>'
        )
    return parts


def _x_labels(labels: Sequence[str], x_of: Callable[[int], float]) -> list[str]:
    every = max(1, len(labels) // 12)
    return [
        f'<text x="{x_of(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
        f"{escape(label)}</text>"
        for i, label in enumerate(labels)
        if i % every == 0
    ]


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    target: float | None = None,
    target_label: str = "",
    description: str = "",
    fmt: Callable[[float], str] = _fmt_default,
) -> str:
    """Lines over time; a missing value breaks the line; an optional dashed target line."""
    numbers = [v for s in series for v in s.values if v is not None]
    top_value = _nice_max(max([*numbers, target or 0, 0]))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(labels), 1)

    def x_of(i: int) -> float:
        return LEFT + plot_width * (i + 0.5) / count

    def y_of(value: float) -> float:
        return HEIGHT - BOTTOM - plot_height * value / top_value

    body = _y_axis(top_value, fmt) + _x_labels(labels, x_of)
    if target is not None:
        y = y_of(target)
        body.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#666" '
            f'stroke-dasharray="2 2"/><text x="{WIDTH - RIGHT}" y="{y - 4:.1f}" '
            f'text-anchor="end">{escape(target_label)}</text>'
        )
    for index, one in enumerate(series):
        colour, dash = COLOURS[index % 3], DASHES[index % 3]
        segments: list[list[str]] = [[]]
        for i, value in enumerate(one.values):
            if value is None:
                segments.append([])
            else:
                segments[-1].append(f"{x_of(i):.1f},{y_of(value):.1f}")
        for points in segments:
            if len(points) > 1:
                body.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                    f'stroke-dasharray="{dash}" points="{" ".join(points)}"/>'
                )
            for point in points:
                cx, cy = point.split(",")
                body.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')
    return _frame(title, description, body, [s.name for s in series])


def column_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    fmt: Callable[[float], str] = _fmt_default,
    description: str = "",
) -> str:
    """Grouped vertical bars (e.g. arrivals and answered calls per half-hour)."""
    numbers = [v for s in series for v in s.values if v is not None]
    top_value = _nice_max(max([*numbers, 0]))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(labels), 1)
    slot = plot_width / count
    bar = slot * 0.8 / max(len(series), 1)

    def x_of(i: int) -> float:
        return LEFT + slot * (i + 0.5)

    body = _y_axis(top_value, fmt) + _x_labels(labels, x_of)
    for index, one in enumerate(series):
        colour = COLOURS[index % 3]
        opacity = "1" if index == 0 else "0.55"
        for i, value in enumerate(one.values):
            if not value:
                continue
            height = plot_height * value / top_value
            x = LEFT + slot * i + slot * 0.1 + bar * index
            body.append(
                f'<rect x="{x:.1f}" y="{HEIGHT - BOTTOM - height:.1f}" width="{bar:.1f}" '
                f'height="{height:.1f}" fill="{colour}" fill-opacity="{opacity}"/>'
            )
    return _frame(title, description, body, [s.name for s in series])


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    fmt: Callable[[float], str] = _fmt_default,
    description: str = "",
) -> str:
    """Horizontal bars, one per label, the value written at the end of each bar."""
    row = 18
    height = TOP + row * max(len(labels), 1) + 8
    left = 260
    top_value = _nice_max(max([*values, 0]))
    plot_width = WIDTH - left - 60
    uid = next(_ids)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="chart{uid}-t chart{uid}-d" class="decroche-chart" '
        f'font-family="Marianne, arial, sans-serif" '
        f'font-size="11">',
        f'<title id="chart{uid}-t">{escape(title)}</title>',
        f'<desc id="chart{uid}-d">{escape(description)}</desc>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = TOP + i * row
        width = plot_width * value / top_value
        parts.append(
            f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{escape(label[:42])}</text>'
            f'<rect x="{left}" y="{y + 2}" width="{width:.1f}" height="{row - 5}" '
            f'fill="{COLOURS[0]}"/><text x="{left + width + 4:.1f}" y="{y + 12}">'
            f"{escape(fmt(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
