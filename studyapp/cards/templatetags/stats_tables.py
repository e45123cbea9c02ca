"""The statistics page's tables rendered in Python: a learner who has studied every topic and
practised for weeks gets about a hundred topic rows and a hundred accuracy cells, and the
template language's variables, tags and includes cost more per cell than the page's queries."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def accuracy_cell(cell) -> SafeString:
    """ "82% (11 answers)", or a dash for a week and domain without answers."""
    if not cell.total:
        return SafeString("—")
    answers = ngettext("%(n)s answer", "%(n)s answers", cell.total) % {"n": cell.total}
    return format_html(
        '<strong>{}%</strong> <span class="answers">({})</span>',
        floatformat(cell.percent, 0),
        answers,
    )


@register.filter
def topic_rows(topics: list[dict]) -> SafeString:
    """A row per studied topic (stats.topic_retrievability): a link to it, its cards studied,
    its average recall probability in whole percent (exact in data-retrievability)."""
    return format_html_join(
        "",
        '<tr><td><a href="{}">{}</a></td><td class="num">{}</td>'
        '<td class="num" data-retrievability="{}">{}%</td></tr>',
        (
            (row["url"], row["title"], row["cards"], f"{row['retrievability']:.3f}",
             round(row["retrievability"] * 100))
            for row in topics
        ),
    )  # fmt: skip
