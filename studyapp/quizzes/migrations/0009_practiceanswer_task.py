"""PracticeAnswer.task: the question's task statement, kept with each answer (as a finished
exam keeps its scores per task), filled in for the answers given before the field existed;
the learner's index on recent answers now covers what the readiness model sums of them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_tasks(apps, schema_editor):
    PracticeAnswer = apps.get_model("quizzes", "PracticeAnswer")
    Question = apps.get_model("quizzes", "Question")
    task = Question.objects.filter(pk=models.OuterRef("question_id")).values("task_id")[:1]
    PracticeAnswer.objects.filter(task__isnull=True).update(task=models.Subquery(task))


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0007_simulator_preset_dynamodb"),
        ("quizzes", "0008_practiceanswer_first"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="practiceanswer",
            name="quizzes_pra_user_id_6aa360_idx",
        ),
        migrations.AddField(
            model_name="practiceanswer",
            name="task",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="The question's task statement when it was answered, as a finished "
                "exam keeps its scores per task: the readiness model sums answers per task "
                "without reading every question. Written with the answer (rows written in bulk "
                "must set it).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="notes.taskstatement",
            ),
        ),
        migrations.AddIndex(
            model_name="practiceanswer",
            index=models.Index(
                fields=["user", "-answered_at", "task", "first", "correct"],
                name="practice_user_recent",
            ),
        ),
        migrations.RunPython(fill_tasks, migrations.RunPython.noop),
    ]
