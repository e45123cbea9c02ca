from django.contrib import admin

from .models import Card, CardState, LearnerSettings, ReviewDay, ReviewLog, ReviewSummary


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "topic", "owner", "retired"]
    list_filter = ["kind", "retired", "topic"]
    search_fields = ["key", "front_text", "back_text", "tags"]
    raw_id_fields = ["topic", "owner", "erratum"]


@admin.register(CardState)
class CardStateAdmin(admin.ModelAdmin):
    list_display = ["user", "card", "state", "due", "stability", "difficulty", "reps", "lapses"]
    list_filter = ["state"]
    raw_id_fields = ["user", "card"]


@admin.register(ReviewLog)
class ReviewLogAdmin(admin.ModelAdmin):
    list_display = ["user", "card", "rating", "reviewed_at", "scheduled_days"]
    list_filter = ["rating"]
    raw_id_fields = ["user", "card"]
    date_hierarchy = "reviewed_at"


@admin.register(LearnerSettings)
class LearnerSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "desired_retention", "new_per_day", "reviews_per_day"]
    raw_id_fields = ["user"]


@admin.register(ReviewDay)
class ReviewDayAdmin(admin.ModelAdmin):
    """Counts derived from the review logs (cards.aggregates); read here, not edited."""

    list_display = ["user", "day", "reviews", "mature", "mature_passed"]
    raw_id_fields = ["user"]
    date_hierarchy = "day"

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ReviewSummary)
class ReviewSummaryAdmin(admin.ModelAdmin):
    list_display = ["user", "summarised_before"]
    raw_id_fields = ["user"]
