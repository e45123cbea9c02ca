"""One routing style for every simulator: its page, ``preset/``, ``reset/``, ``do/<action>/``."""

from django.urls import path

from . import views
from .dynamodb import views as dynamodb
from .iam import views as iam
from .kinesis import views as kinesis
from .sqs import views as sqs
from .web import routes

app_name = "sims"

urlpatterns = [
    path("", views.index, name="index"),
    *routes("dynamodb", dynamodb),
    *routes("iam", iam),
    *routes("kinesis", kinesis),
    *routes("sqs", sqs),
]
