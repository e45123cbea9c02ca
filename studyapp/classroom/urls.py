from django.urls import path

from . import views

app_name = "classroom"

urlpatterns = [
    path("", views.home, name="home"),
    path("questions/", views.question_list, name="questions"),
    path("questions/new/", views.question_edit, name="question_new"),
    path("questions/preview/", views.preview, name="preview"),
    path("questions/import/", views.question_import, name="question_import"),
    path("questions/export.json", views.question_export, {"fmt": "json"}, name="export_json"),
    path("questions/export.csv", views.question_export, {"fmt": "csv"}, name="export_csv"),
    path("questions/<int:question_id>/", views.question_edit, name="question_edit"),
    path("questions/<int:question_id>/retire/", views.question_retire, name="question_retire"),
    path("sets/", views.set_list, name="sets"),
    path("sets/<int:set_id>/", views.set_detail, name="set"),
    path("sets/<int:set_id>/add/", views.set_add, name="set_add"),
    path("sets/<int:set_id>/generate/", views.set_generate, name="set_generate"),
    path("sets/<int:set_id>/remove/<int:question_id>/", views.set_remove, name="set_remove"),
    path("sets/<int:set_id>/live/", views.set_live, name="set_live"),
    path("cohorts/", views.cohort_list, name="cohorts"),
    path("cohorts/<int:cohort_id>/", views.cohort_detail, name="cohort"),
    path("cohorts/<int:cohort_id>/invite/", views.cohort_invite, name="cohort_invite"),
    path(
        "cohorts/<int:cohort_id>/remove/<int:learner_id>/",
        views.cohort_remove,
        name="cohort_remove",
    ),
    path("cohorts/<int:cohort_id>/assign/", views.assignment_create, name="assignment_create"),
    path("cohorts/<int:cohort_id>/report/", views.cohort_report, name="report"),
    path("cohorts/<int:cohort_id>/report.csv", views.cohort_report_csv, name="report_csv"),
    path("join/<str:token>/", views.cohort_join, name="join"),
    path("assignments/<int:assignment_id>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:assignment_id>/start/", views.assignment_start, name="assignment_start"),
    path(
        "assignments/<int:assignment_id>/submit/",
        views.assignment_submit,
        name="assignment_submit",
    ),
]
