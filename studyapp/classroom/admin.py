from django.contrib import admin

from .models import Assignment, Attempt, Cohort, Membership, QuestionSet, QuestionSetItem


class QuestionSetItemInline(admin.TabularInline):
    model = QuestionSetItem
    extra = 0
    raw_id_fields = ["question"]


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "updated_at"]
    raw_id_fields = ["owner"]
    inlines = [QuestionSetItemInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["learner"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "created_at"]
    raw_id_fields = ["owner"]
    exclude = ["invite_token"]
    inlines = [MembershipInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "kind", "opens_at", "closes_at"]
    raw_id_fields = ["cohort", "question_set"]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["assignment", "learner", "submitted_at", "correct", "total", "late"]
    raw_id_fields = ["assignment", "learner", "exam"]
