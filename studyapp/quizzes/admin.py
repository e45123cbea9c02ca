from django.contrib import admin

from .models import Choice, ExamAttempt, ExamItem, PracticeAnswer, Question, QuestionState


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "topic", "domain", "kind", "difficulty", "retired"]
    list_filter = ["domain", "kind", "difficulty", "retired"]
    search_fields = ["key", "stem_text"]
    raw_id_fields = ["topic"]
    inlines = [ChoiceInline]


@admin.register(Choice)
class ChoiceAdmin(admin.ModelAdmin):
    list_display = ["question", "position", "correct"]
    raw_id_fields = ["question"]


@admin.register(QuestionState)
class QuestionStateAdmin(admin.ModelAdmin):
    list_display = ["user", "question", "state", "due", "reps", "lapses"]
    raw_id_fields = ["user", "question"]


@admin.register(PracticeAnswer)
class PracticeAnswerAdmin(admin.ModelAdmin):
    list_display = ["user", "question", "correct", "answered_at"]
    raw_id_fields = ["user", "question"]


class ExamItemInline(admin.TabularInline):
    model = ExamItem
    extra = 0
    raw_id_fields = ["question"]


@admin.register(ExamAttempt)
class ExamAttemptAdmin(admin.ModelAdmin):
    list_display = ["user", "started_at", "finished_at", "correct", "scaled_score"]
    raw_id_fields = ["user"]
    inlines = [ExamItemInline]


@admin.register(ExamItem)
class ExamItemAdmin(admin.ModelAdmin):
    list_display = ["attempt", "position", "question", "flagged", "correct"]
    raw_id_fields = ["attempt", "question"]
