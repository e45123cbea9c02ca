from django.contrib import admin

from .models import Answer, LiveQuestion, LiveSession, Player


class LiveQuestionInline(admin.TabularInline):
    model = LiveQuestion
    extra = 0
    raw_id_fields = ["question"]


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "host", "state", "time_limit", "created_at"]
    list_filter = ["state"]
    search_fields = ["title", "code"]
    raw_id_fields = ["host"]
    inlines = [LiveQuestionInline]


@admin.register(LiveQuestion)
class LiveQuestionAdmin(admin.ModelAdmin):
    list_display = ["session", "position", "question", "opened_at", "closed_at"]
    raw_id_fields = ["session", "question"]


@admin.register(Player)
class PlayerAdmin(admin.ModelAdmin):
    list_display = ["nickname", "session", "score", "kicked", "joined_at"]
    list_filter = ["kicked"]
    search_fields = ["nickname"]
    raw_id_fields = ["session"]
    exclude = ["token_hash"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["player", "item", "correct", "elapsed_ms", "points", "answered_at"]
    raw_id_fields = ["player", "item"]
