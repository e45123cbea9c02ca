from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studyapp.notes.models import TaskStatement
from studyapp.quizzes.models import Question

from . import sources
from .models import Assignment, Cohort, QuestionSet
from .questions import MAX_CHOICES, ChoiceDraft, QuestionDraft, why_text
from .selectors import usable_questions
from .services import MAX_SET_SIZE

LETTERS = "ABCDEF"


class PickedRows(forms.ModelMultipleChoiceField):
    """Rows picked by id. An id no row can have is refused like any unknown one: one longer
    than a 64-bit key would be a 500 on SQLite, which cannot even compare it."""

    def __init__(self, *args, max_picked: int = 1000, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_picked = max_picked

    def clean(self, value):
        if isinstance(value, list | tuple):
            if len(value) > self.max_picked:
                raise ValidationError(
                    _("Pick at most %(n)s at once.") % {"n": self.max_picked}, code="too_many"
                )
            for pk in value:
                if not (isinstance(pk, str) and pk.isascii() and pk.isdecimal() and len(pk) < 19):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)


class QuestionForm(forms.Form):
    """An instructor's question: the bank's shape, written in Markdown."""

    stem = forms.CharField(
        label=_("Question"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000,
        help_text=_("Markdown. Say how many to choose when more than one option is right."),
    )  # fmt: skip
    task = forms.ModelChoiceField(label=_("Exam task statement"), queryset=TaskStatement.objects)
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"), coerce=int, initial=2,
        choices=[(1, _("Easy")), (2, _("Medium")), (3, _("Hard"))],
    )  # fmt: skip
    explanation = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000,
        help_text=_("Shown after the answer. Markdown."),
    )  # fmt: skip
    sources = forms.CharField(
        label=_("Sources"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("AWS documentation pages (https://...), one per line."),
    )  # fmt: skip
    share = PickedRows(
        label=_("Share with my cohorts"), queryset=Cohort.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Unshared questions are private to you."),
    )  # fmt: skip

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share"].queryset = Cohort.objects.filter(owner=owner)
        for index in range(MAX_CHOICES):
            letter = LETTERS[index]
            self.fields[f"choice_{index}"] = forms.CharField(
                label=_("Option %(letter)s") % {"letter": letter}, required=False,
                max_length=5000,
            )  # fmt: skip
            self.fields[f"correct_{index}"] = forms.BooleanField(
                label=_("Option %(letter)s is right") % {"letter": letter}, required=False
            )
            self.fields[f"why_{index}"] = forms.CharField(
                label=_("Why option %(letter)s is wrong") % {"letter": letter}, required=False,
                max_length=5000,
            )  # fmt: skip

    def option_rows(self):
        return [
            (LETTERS[i], self[f"choice_{i}"], self[f"correct_{i}"], self[f"why_{i}"])
            for i in range(MAX_CHOICES)
        ]

    def draft(self) -> QuestionDraft:
        data = self.cleaned_data
        choices = [
            ChoiceDraft(data[f"choice_{i}"], data[f"correct_{i}"], data[f"why_{i}"])
            for i in range(MAX_CHOICES)
            if data.get(f"choice_{i}", "").strip()
        ]
        return QuestionDraft(
            stem=data["stem"], explanation=data["explanation"], task=data["task"],
            sources=data["sources"].split(), choices=choices, difficulty=data["difficulty"],
        )  # fmt: skip

    @staticmethod
    def initial_for(question) -> dict:
        initial = {
            "stem": question.stem_text, "task": question.task_id,
            "difficulty": question.difficulty, "explanation": question.explanation_text,
            "sources": "\n".join(question.sources),
        }  # fmt: skip
        for index, choice in enumerate(question.choices.all()[:MAX_CHOICES]):
            initial[f"choice_{index}"] = choice.text
            initial[f"correct_{index}"] = choice.correct
            initial[f"why_{index}"] = why_text(choice.why_html)
        return initial


class PickForm(forms.Form):
    """Questions to add to a set: the bank's and the instructor's own, nobody else's."""

    question = PickedRows(
        queryset=Question.objects.none(),
        max_picked=MAX_SET_SIZE,
        error_messages={"required": _("Tick at least one question.")},
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = usable_questions(owner)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or JSON file"),
        help_text=_("The bank's formats, as exported here. At most 1 MB, 500 questions."),
    )


class TitleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Simulator"), choices=())
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=20, initial=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, kind.upper()) for kind in sources.generated_kinds()]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("What"), choices=Assignment.Kind.choices, initial=Assignment.Kind.SET,
        widget=forms.RadioSelect,
    )  # fmt: skip
    question_set = forms.ModelChoiceField(
        label=_("Question set"), queryset=QuestionSet.objects.none(), required=False
    )
    opens_at = forms.DateTimeField(label=_("Opens"), widget=LocalDateTimeInput())
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=LocalDateTimeInput(),
        help_text=_("Work handed in after this is accepted and marked late."),
    )  # fmt: skip

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_set"].queryset = QuestionSet.objects.filter(owner=owner)
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("opens_at", now)
            self.initial.setdefault("closes_at", now + timezone.timedelta(days=7))

    def clean(self):
        data = super().clean()
        if data.get("kind") == Assignment.Kind.SET and not data.get("question_set"):
            self.add_error("question_set", _("Choose a question set."))
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("It must close after it opens."))
        return data
