from django import forms
from django.utils.translation import gettext_lazy as _

from studyapp.notes.models import Topic
from studyapp.quizzes.generated import store as generated
from studyapp.quizzes.models import Question
from studyapp.quizzes.practice_filters import GENERATED_LABELS

from . import selectors
from .models import MAX_TEAMS, LiveSession
from .services import MAX_TIME_LIMIT, MIN_TIME_LIMIT


class SessionForm(forms.Form):
    """What a new live session plays: a topic, an earlier session's questions, or a hand pick."""

    SOURCES = [
        ("topic", _("Random questions from a topic")),
        ("saved", _("The questions of an earlier live quiz")),
        ("picked", _("Questions I pick")),
        ("generated", _("New questions a simulator writes and checks")),
    ]

    title = forms.CharField(label=_("Title"), max_length=200)
    source = forms.ChoiceField(
        label=_("Questions"), choices=SOURCES, widget=forms.RadioSelect, initial="topic"
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    saved = forms.ModelChoiceField(
        label=_("Earlier quiz"), queryset=LiveSession.objects.none(), required=False
    )
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions"),
        queryset=Question.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    generator = forms.ChoiceField(
        label=_("Simulator"), choices=list(GENERATED_LABELS.items()), required=False
    )
    count = forms.IntegerField(
        label=_("Number of questions"), min_value=1, max_value=50, initial=10
    )
    time_limit = forms.IntegerField(
        label=_("Seconds per question"),
        min_value=MIN_TIME_LIMIT,
        max_value=MAX_TIME_LIMIT,
        initial=LiveSession.DEFAULT_TIME_LIMIT,
    )
    streak_bonus = forms.BooleanField(
        label=_("Streak bonus"), required=False, initial=True,
        help_text=_("+100 points per correct answer in a row after the first, at most +500."),
    )  # fmt: skip
    team_count = forms.TypedChoiceField(
        label=_("Teams"),
        choices=[(0, _("No teams: everyone for themselves"))]
        + [(n, str(n)) for n in range(2, MAX_TEAMS + 1)],
        coerce=int,
        initial=0,
        required=False,
        help_text=_(
            "Players are dealt into teams as they join; a team scores the mean of its members."
        ),
    )
    hide_leaderboard = forms.BooleanField(
        label=_("Hide the leaderboard until the end"), required=False, initial=False
    )

    def __init__(self, *args, host, **kwargs):
        super().__init__(*args, **kwargs)
        topics = selectors.topics_with_questions()
        self.fields["topic"].queryset = Topic.objects.filter(pk__in=[t.pk for t in topics])
        self.fields["topic"].label_from_instance = lambda t: (
            f"{'· ' * max(t.level - 1, 0)}{t.title} ({self.topic_totals.get(t.pk, 0)})"
        )
        self.topic_totals = {t.pk: t.question_total for t in topics}
        self.fields["saved"].queryset = LiveSession.objects.filter(host=host)
        self.fields["questions"].queryset = Question.objects.active().select_related("topic")
        self.fields["questions"].label_from_instance = lambda q: (
            f"{q.topic.title}: {q.stem_text[:140]}"
        )

    def question_options(self) -> list[tuple[int, str, bool]]:
        """(id, label, ticked) for the picker, which the page draws in one loop: Django's widget
        renders a template per option, a fifth of a second for the whole bank."""
        field = self.fields["questions"]
        ticked = {str(value) for value in self["questions"].value() or ()}
        questions = field.queryset.only("pk", "stem_text", "topic__title")
        return [(q.pk, field.label_from_instance(q), str(q.pk) in ticked) for q in questions]

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if source == "topic" and not data.get("topic"):
            self.add_error("topic", _("Choose a topic."))
        if source == "saved" and not data.get("saved"):
            self.add_error("saved", _("Choose an earlier quiz."))
        if source == "picked" and not data.get("questions"):
            self.add_error("questions", _("Pick at least one question."))
        if source == "generated" and not data.get("generator"):
            self.add_error("generator", _("Choose a simulator."))
        return data

    def chosen_questions(self) -> list[Question]:
        data = self.cleaned_data
        count = data["count"]
        if data["source"] == "topic":
            return selectors.questions_for_topic(data["topic"], count)
        if data["source"] == "saved":
            return selectors.questions_of_session(data["saved"], count)
        if data["source"] == "generated":
            return generated.live_questions(kind=data["generator"], count=count)
        return list(data["questions"])[:count]
