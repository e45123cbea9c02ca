from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.session_new, name="new"),
    path("host/<int:session_id>/", views.host, name="host"),
    path("present/<int:session_id>/", views.present, name="present"),
    path("host/<int:session_id>/report.csv", views.report, name="report"),
    path("host/<int:session_id>/kick/<int:player_id>/", views.kick, name="kick"),
    path("host/<int:session_id>/lock/", views.lock, name="lock"),
    *[
        path(f"host/<int:session_id>/{action}/", views.host_action, {"action": action}, name=action)
        for action in views.HOST_ACTIONS
    ],
    path("join/", views.join, name="join"),
    path("play/<str:code>/", views.play, name="play"),
    path("play/<str:code>/answer/", views.answer, name="answer"),
]
