from django.urls import path

from . import exports, stats_views, views

app_name = "cards"

urlpatterns = [
    path("review/", views.review, name="review"),
    path("review/today/", views.today, name="today"),
    path("review/grade/", views.grade, name="grade"),
    path("review/undo/", views.undo, name="undo"),
    path("review/cram/", views.cram, name="cram"),
    path("review/cram/grade/", views.cram_grade, name="cram_grade"),
    path("review/settings/", views.settings_view, name="settings"),
    path("cards/export.csv", exports.export_csv, name="export_csv"),
    path("cards/export.apkg", exports.export_apkg, name="export_apkg"),
    path("cards/import/", exports.import_csv, name="import_csv"),
    path("cards/<slug:key>/", views.card_detail, name="card"),
    path("stats/", stats_views.statistics, name="stats"),
]
