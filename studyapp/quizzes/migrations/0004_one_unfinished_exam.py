from django.conf import settings
from django.db import migrations, models


def finish_extra_attempts(apps, schema_editor):
    """A double click could open two attempts; score all but each learner's newest, as
    services.exam_finish does (all-or-nothing per question, linear scaled estimate)."""
    ExamAttempt = apps.get_model("quizzes", "ExamAttempt")
    Choice = apps.get_model("quizzes", "Choice")
    unfinished = ExamAttempt.objects.filter(finished_at__isnull=True).order_by(
        "user_id", "-started_at"
    )
    seen = set()
    for attempt in unfinished:
        if attempt.user_id not in seen:
            seen.add(attempt.user_id)
            continue
        right, total = 0, 0
        for item in attempt.items.all():
            correct = set(
                Choice.objects.filter(question_id=item.question_id, correct=True).values_list(
                    "pk", flat=True
                )
            )
            item.correct = bool(item.selected) and set(item.selected) == correct
            item.save(update_fields=["correct"])
            right += item.correct
            total += 1
        attempt.finished_at = min(attempt.deadline, attempt.started_at)
        attempt.correct, attempt.total = right, total
        attempt.scaled_score = round(100 + 900 * right / total) if total else 100
        attempt.save()


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0003_question_task"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(finish_extra_attempts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="examattempt",
            constraint=models.UniqueConstraint(
                condition=models.Q(("finished_at__isnull", True)),
                fields=("user",),
                name="one_unfinished_exam_per_user",
            ),
        ),
    ]
