from django.contrib import admin

from .models import (
    Erratum,
    ExamDomain,
    SearchEntry,
    SearchTerm,
    SearchTrigram,
    SimulatorPreset,
    TaskStatement,
    Topic,
    TopicRead,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "kind", "level", "order", "word_count", "retired"]
    list_filter = ["kind", "level", "retired"]
    search_fields = ["title", "slug", "body_text"]
    readonly_fields = ["content_hash", "updated_at"]
    raw_id_fields = ["parent", "covers", "display_parent"]


@admin.register(ExamDomain)
class ExamDomainAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "weight"]


@admin.register(TaskStatement)
class TaskStatementAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "domain", "weight"]
    list_filter = ["domain"]


@admin.register(Erratum)
class ErratumAdmin(admin.ModelAdmin):
    list_display = ["key", "topic", "status"]
    list_filter = ["status"]
    search_fields = ["key", "quote"]


@admin.register(TopicRead)
class TopicReadAdmin(admin.ModelAdmin):
    list_display = ["user", "topic", "read_at"]
    raw_id_fields = ["user", "topic"]


class WrittenByLoadContent(admin.ModelAdmin):
    """Rows load_content writes from content/: shown to check them, changed only by loading."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SimulatorPreset)
class SimulatorPresetAdmin(WrittenByLoadContent):
    list_display = ["topic", "simulator", "name", "title"]
    list_filter = ["simulator"]
    search_fields = ["topic__slug", "name", "title"]


@admin.register(SearchEntry)
class SearchEntryAdmin(WrittenByLoadContent):
    list_display = ["kind", "key", "title", "context"]
    list_filter = ["kind"]
    search_fields = ["key", "title"]


@admin.register(SearchTerm)
class SearchTermAdmin(WrittenByLoadContent):
    list_display = ["word", "documents"]
    search_fields = ["word"]


@admin.register(SearchTrigram)
class SearchTrigramAdmin(WrittenByLoadContent):
    list_display = ["gram", "term"]
    search_fields = ["gram"]
    raw_id_fields = ["term"]
