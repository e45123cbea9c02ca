"""A cell of the statistics page's accuracy tables, rendered in Python: a heavy learner's page
has about a hundred of them, and an include per cell cost more than the rest of the table."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
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
