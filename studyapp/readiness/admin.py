from django.contrib import admin

from .models import ExamForecast, Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "score", "low", "high", "pass_probability", "answers"]
    list_filter = ["day"]
    raw_id_fields = ["user"]


@admin.register(ExamForecast)
class ExamForecastAdmin(admin.ModelAdmin):
    list_display = ["attempt", "user", "score", "low", "high", "pass_probability"]
    raw_id_fields = ["user", "attempt"]
