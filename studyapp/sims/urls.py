from django.urls import path

from .views import index

app_name = "sims"

urlpatterns = [
    path("", index.index, name="index"),
]
