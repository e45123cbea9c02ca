from django.urls import path

from . import pages, views

app_name = "awsapi"
urlpatterns = [
    path("aws/", views.endpoint, name="endpoint"),
    path("api-access/", pages.access, name="access"),
    path("api-access/guide/", pages.guide, name="guide"),
]
