"""Charts drawn on the server as inline SVG: no script, no CDN, readable with CSS off.

Each function returns markup that is safe to embed (every label is escaped). The axes run left to
right in both languages (dates and amounts read that way in Arabic finance screens too); the labels
follow the page language. Every chart has a ``<title>`` for screen readers, and the dashboard shows
the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#1f6f8b", "#e07a1f", "#5a8f29", "#9b3d8a", "#c23b22", "#6b6b6b")


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 5 x 10^n)."""
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if factor * step >= value:
            return factor * step
    return 10 * step  # pragma: no cover


def stacked_columns(
    title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], height: int = 220
) -> Markup:
    """Columns per category (e.g. a day), stacked by series (e.g. alert source)."""
    width = max(320, 40 + 28 * len(categories))
    top, bottom, left = 10, 40, 36
    plot_h = height - top - bottom
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    axis_max = _nice_max(max(totals, default=0))
    column_w = (width - left - 10) / max(1, len(categories))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'direction="ltr" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 5}" y2="{top + plot_h}" stroke="#999"/>',
    ]
    for tick in (0, axis_max / 2, axis_max):
        y = top + plot_h - plot_h * tick / axis_max
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{tick:g}</text>'
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 5}" y2="{y:.1f}" stroke="#eee"/>'
        )
    for i, category in enumerate(categories):
        x = left + i * column_w + column_w * 0.15
        y = top + plot_h
        for s, (name, values) in enumerate(series):
            value = values[i]
            if not value:
                continue
            h = plot_h * value / axis_max
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{column_w * 0.7:.1f}" height="{h:.1f}" '
                f'fill="{colour(s)}"><title>{escape(category)} · {escape(name)}: {value}</title></rect>'
            )
        if len(categories) <= 16 or i % max(1, len(categories) // 8) == 0:
            parts.append(
                f'<text x="{x + column_w * 0.35:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                f'font-size="9">{escape(category[5:] if len(category) == 10 else category)}</text>'
            )
    legend_y = height - 8
    x = left
    for s, (name, _) in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{colour(s)}"/>'
            f'<text x="{x + 14}" y="{legend_y}" font-size="11">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every label above is escaped


def horizontal_bars(
    title: str, rows: Sequence[tuple[str, float, str]], width: int = 420, bar_h: int = 22
) -> Markup:
    """One bar per row: ``(label, value, shown text)``; labels on the left, the value at the bar's end."""
    label_w = 130
    height = 10 + bar_h * max(1, len(rows))
    axis_max = _nice_max(max((value for _, value, _ in rows), default=0))
    plot_w = width - label_w - 60
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'direction="ltr" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, (label, value, shown) in enumerate(rows):
        y = 5 + i * bar_h
        w = plot_w * value / axis_max
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h * 0.65:.1f}" text-anchor="end" font-size="11">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{bar_h - 6}" fill="{colour(i)}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h * 0.65:.1f}" font-size="11">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every label above is escaped


__all__ = ["PALETTE", "colour", "horizontal_bars", "stacked_columns"]
