"""ExamAttempt.task_scores: each finished exam's right and total answers per task statement,
counted from its items for the exams finished before the field existed."""

from django.db import migrations, models
from django.db.models import Count, Q


def count_task_scores(apps, schema_editor):
    """Fill task_scores of every finished exam from its scored items (those the readiness
    model counts: an answer recorded, a question with a task), in one grouped query."""
    ExamAttempt = apps.get_model("quizzes", "ExamAttempt")
    ExamItem = apps.get_model("quizzes", "ExamItem")
    finished = ExamAttempt.objects.filter(finished_at__isnull=False, task_scores__isnull=True)
    scores = {pk: {} for pk in finished.values_list("pk", flat=True)}
    rows = (
        ExamItem.objects.filter(
            attempt__in=finished, correct__isnull=False, question__task__isnull=False
        )
        .values_list("attempt_id", "question__task__code")
        .annotate(right=Count("pk", filter=Q(correct=True)), total=Count("pk"))
        .order_by()
    )
    for attempt_id, code, right, total in rows:
        scores[attempt_id][code] = [right, total]
    ExamAttempt.objects.bulk_update(
        [ExamAttempt(pk=pk, task_scores=dict(sorted(s.items()))) for pk, s in scores.items()],
        ["task_scores"],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0002_exam_guide"),
        ("quizzes", "0006_question_generator"),
    ]

    operations = [
        migrations.AddField(
            model_name="examattempt",
            name="task_scores",
            field=models.JSONField(
                blank=True,
                help_text="Task code -> [right, total] of the questions with a task, written "
                "when the exam is scored; the readiness model reads it rather than every item "
                "(issue #21).",
                null=True,
            ),
        ),
        migrations.RunPython(count_task_scores, migrations.RunPython.noop),
    ]
