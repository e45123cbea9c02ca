from django.contrib import admin

from .models import Erratum, Topic, TopicRead


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "level", "order", "word_count", "retired"]
    list_filter = ["level", "retired"]
    search_fields = ["title", "slug", "body_text"]
    readonly_fields = ["content_hash", "updated_at"]
    raw_id_fields = ["parent"]


@admin.register(Erratum)
class ErratumAdmin(admin.ModelAdmin):
    list_display = ["key", "topic", "status"]
    list_filter = ["status"]
    search_fields = ["key", "quote"]


@admin.register(TopicRead)
class TopicReadAdmin(admin.ModelAdmin):
    list_display = ["user", "topic", "read_at"]
    raw_id_fields = ["user", "topic"]
