"""PracticeAnswer.first: whether an answer is the learner's first to its question, set for the
answers given before the field existed (each question's earliest answer, by id)."""

from django.db import migrations, models


def mark_firsts(apps, schema_editor):
    PracticeAnswer = apps.get_model("quizzes", "PracticeAnswer")
    earliest = PracticeAnswer.objects.values("user", "question").annotate(earliest=models.Min("id"))
    firsts = models.When(pk__in=earliest.values("earliest"), then=models.Value(True))
    PracticeAnswer.objects.update(first=models.Case(firsts, default=models.Value(False)))


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0007_examattempt_task_scores"),
    ]

    operations = [
        migrations.AddField(
            model_name="practiceanswer",
            name="first",
            field=models.BooleanField(
                default=True,
                help_text="The learner's first answer to this question: a later one may be "
                "remembered rather than known, and the readiness model weighs it less. Written "
                "with the answer (rows written in bulk must set it).",
            ),
        ),
        migrations.RunPython(mark_firsts, migrations.RunPython.noop),
    ]
