from django.urls import path

from . import views

app_name = "notes"

urlpatterns = [
    path("", views.home, name="home"),
    path("notes/<slug:slug>/", views.topic_detail, name="topic"),
    path("notes/images/<path:path>", views.note_image, name="image"),
    path("search/", views.search, name="search"),
]
