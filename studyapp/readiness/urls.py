from django.urls import path

from . import views

app_name = "readiness"

urlpatterns = [
    path("readiness/", views.readiness, name="page"),
    path("readiness/panel/", views.panel, name="panel"),
]
