"""Server-rendered SVG charts with text alternatives."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CELL = 11
GAP = 2


def heat_level(count: int) -> int:
    if count == 0:
        return 0
    if count < 5:
        return 1
    if count < 15:
        return 2
    if count < 40:
        return 3
    return 4


def heatmap(per_day: dict[date, int], today: date, days: int = 365) -> SafeString:
    """A calendar of the last `days` days, one column per week, Monday on top."""
    first = today - timedelta(days=days - 1)
    first -= timedelta(days=first.weekday())  # start on a Monday
    cells = []
    day, column = first, 0
    while day <= today:
        row = day.weekday()
        count = per_day.get(day, 0)
        label = ngettext("%(day)s: %(n)d review", "%(day)s: %(n)d reviews", count) % {
            "day": day.isoformat(),
            "n": count,
        }
        cells.append(
            (
                column * (CELL + GAP),
                row * (CELL + GAP) + 14,
                heat_level(count),
                day.isoformat(),
                count,
                label,
            )
        )
        if row == 6:
            column += 1
        day += timedelta(days=1)
    width = (column + 1) * (CELL + GAP)
    total = sum(per_day.values())
    active = sum(1 for count in per_day.values() if count)
    summary = _("%(total)d reviews on %(active)d days in the last year") % {
        "total": total,
        "active": active,
    }
    rects = format_html_join(
        "",
        '<rect x="{}" y="{}" width="' + str(CELL) + '" height="' + str(CELL) + '" rx="2" '
        'class="heat-{}" data-day="{}" data-count="{}"><title>{}</title></rect>',
        cells,
    )
    return format_html(
        '<svg class="chart heatmap" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        "<title>{}</title>{}</svg>",
        width,
        7 * (CELL + GAP) + 14,
        summary,
        summary,
        rects,
    )


def bar_chart(values: list[int], labels: list[str], *, title: str) -> SafeString:
    height, bar, gap = 100, 14, 4
    top = max(values) if values and max(values) else 1
    bars = []
    for index, (value, label) in enumerate(zip(values, labels, strict=True)):
        h = round(value / top * height)
        x = index * (bar + gap)
        bars.append((x, 10 + height - h, bar, h, value, f"{label}: {value}"))
    body = format_html_join(
        "",
        '<rect class="bar" x="{}" y="{}" width="{}" height="{}" data-value="{}"><title>{}</title></rect>',
        bars,
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}">{}</text>',
        [(i * (bar + gap), height + 24, labels[i]) for i in range(0, len(labels), 5)],
    )
    width = len(values) * (bar + gap)
    return format_html(
        '<svg class="chart bars" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>{}{}</svg>',
        width,
        height + 30,
        title,
        title,
        body,
        ticks,
    )
