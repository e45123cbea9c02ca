"""What the practice and mock exam views share: reading the options a learner ticked."""

from django.utils.translation import gettext as _

from .. import presentation, services

MAX_SELECTED = 10


def selection(request, shown) -> list[int]:
    """The option ids behind the places a learner ticked; anything else is a tampered form."""
    values = request.POST.getlist("choice")
    try:
        if len(values) > MAX_SELECTED:
            raise presentation.SelectionError(_("that answer could not be read"))
        return presentation.selected_ids(values, shown)
    except presentation.SelectionError as error:
        raise services.AnswerError(str(error)) from None
