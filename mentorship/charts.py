"""Server-rendered SVG bar charts: no JavaScript, no external fonts, readable in a browser and in
WeasyPrint. Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says
the numbers in words; pages show the same numbers in a table beside the chart.

Shared by the survey results (evaluation) and the round report (reporting), so neither app
imports the other for them."""

import itertools

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# Dark enough against white for text and for bars (WCAG 1.4.11, 3:1 at least).
COLOURS = ["#1f5f8b", "#a14a00", "#2e6b30", "#6b3fa0", "#8a1c3b"]
TEXT = "#1a1a1a"
GRID = "#767676"
FONT = "font-family=\"'DejaVu Sans', Arial, sans-serif\""

_ids = itertools.count(1)


def _num(value):
    if isinstance(value, float) and not value.is_integer():
        return number_format(round(value, 1), decimal_pos=1)
    return number_format(int(value))


def _chart_id():
    return f"chart-{next(_ids)}"


def _label_width(labels):
    longest = max((len(str(label)) for label in labels), default=1)
    return min(260, max(40, longest * 7 + 12))


def _wrap(label, width):
    """Shortens a label to fit the label column (the full text is in the table and <desc>)."""
    text = str(label)
    chars = max(4, width // 7 - 1)
    return text if len(text) <= chars else text[: chars - 1] + "…"


def bar_chart_svg(*, labels, values, title, max_value=None, desc=None, unit=""):
    """A horizontal bar chart: one bar per label with its value printed beside it."""
    labels = [str(label) for label in labels]
    values = [v or 0 for v in values]
    return grouped_bar_chart_svg(
        labels=labels, series=[("", values)], title=title, max_value=max_value, desc=desc, unit=unit
    )


def grouped_bar_chart_svg(*, labels, series, title, max_value=None, desc=None, unit=""):
    """Horizontal bars, one group per label and one bar per series (e.g. mentors and adepts,
    or rounds). ``series`` is ``[(name, [value per label]), ...]``."""
    labels = [str(label) for label in labels]
    series = [(str(name), [v or 0 for v in values]) for name, values in series]
    chart_id = _chart_id()
    top = max([max(values, default=0) for _name, values in series] + [max_value or 0, 0])
    top = top or 1
    label_w = _label_width(labels)
    bar_h = 16
    gap = 4
    group_gap = 10
    legend = [name for name, _values in series if name]
    legend_h = 22 * len(legend) if len(series) > 1 else 0
    plot_w = 300
    value_w = 60
    width = label_w + plot_w + value_w
    group_h = len(series) * (bar_h + gap) - gap
    height = legend_h + len(labels) * (group_h + group_gap) + 8

    if desc is None:
        parts = []
        for index, label in enumerate(labels):
            if len(series) == 1:
                parts.append(f"{label}: {_num(series[0][1][index])}{unit}")
            else:
                inner = ", ".join(f"{name} {_num(values[index])}{unit}" for name, values in series)
                parts.append(f"{label}: {inner}")
        desc = "; ".join(parts) if parts else _("No data.")

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    y = 0
    if len(series) > 1:
        for index, name in enumerate(legend):
            colour = COLOURS[index % len(COLOURS)]
            out.append(
                f'<rect x="{label_w}" y="{y + 4}" width="14" height="14" fill="{colour}"/>'
                f'<text x="{label_w + 20}" y="{y + 16}" font-size="12" fill="{TEXT}" {FONT}>'
                f"{escape(name)}</text>"
            )
            y += 22
    out.append(
        f'<line x1="{label_w}" y1="{y}" x2="{label_w}" y2="{height - 4}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    for index, label in enumerate(labels):
        mid = y + group_h / 2 + 4
        out.append(
            f'<text x="{label_w - 6}" y="{mid:.1f}" font-size="12" text-anchor="end" '
            f'fill="{TEXT}" {FONT}>{escape(_wrap(label, label_w))}</text>'
        )
        for s_index, (_name, values) in enumerate(series):
            value = values[index]
            bar_w = 0 if top == 0 else round(plot_w * value / top, 1)
            colour = COLOURS[s_index % len(COLOURS)]
            bar_y = y + s_index * (bar_h + gap)
            out.append(
                f'<rect x="{label_w}" y="{bar_y}" width="{bar_w}" height="{bar_h}" '
                f'fill="{colour}"/>'
                f'<text x="{label_w + bar_w + 4}" y="{bar_y + bar_h - 4}" font-size="12" '
                f'fill="{TEXT}" {FONT}>{escape(_num(value))}{escape(unit)}</text>'
            )
        y += group_h + group_gap
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
