from django.urls import path

from . import views

app_name = "notes"

urlpatterns = [
    path("", views.home, name="home"),
    path("notes/<slug:slug>/", views.topic_detail, name="topic"),
    path("guide/", views.exam_guide, name="guide"),
    path("guide/<str:code>/", views.task_detail, name="task"),
    path("notes/images/<path:path>", views.note_image, name="image"),
    path("search/", views.search, name="search"),
]
