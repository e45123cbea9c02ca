from django.contrib import admin

from .models import ApiKey, ThrottleCount


@admin.register(ThrottleCount)
class ThrottleCountAdmin(admin.ModelAdmin):
    list_display = ["scope", "subject", "window", "count"]
    list_filter = ["scope"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["access_key_id", "user", "created_at", "last_used_at", "revoked_at"]
    fields = ["user", "access_key_id", "policy", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "access_key_id", "created_at", "last_used_at"]
