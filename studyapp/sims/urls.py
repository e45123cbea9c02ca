from django.urls import path

from .views import iam, index, kinesis, sqs

app_name = "sims"

urlpatterns = [
    path("", index.index, name="index"),
    path("iam/", iam.page, name="iam"),
    path("iam/validate/", iam.validate, name="iam-validate"),
    path("iam/evaluate/", iam.evaluate, name="iam-evaluate"),
    path("kinesis/", kinesis.page, name="kinesis"),
    path("kinesis/preset/", kinesis.preset, name="kinesis-preset"),
    path("kinesis/reset/", kinesis.reset, name="kinesis-reset"),
    path("kinesis/advance/", kinesis.advance, name="kinesis-advance"),
    path("kinesis/play/", kinesis.play, name="kinesis-play"),
    path("kinesis/producer/", kinesis.producer, name="kinesis-producer"),
    path("kinesis/put/", kinesis.put, name="kinesis-put"),
    path("kinesis/split/", kinesis.split, name="kinesis-split"),
    path("kinesis/merge/", kinesis.merge, name="kinesis-merge"),
    path("kinesis/scale/", kinesis.scale, name="kinesis-scale"),
    path("kinesis/retention/", kinesis.retention, name="kinesis-retention"),
    path("kinesis/iterator/", kinesis.iterator, name="kinesis-iterator"),
    path("kinesis/records/", kinesis.records, name="kinesis-records"),
    path("kinesis/forget/", kinesis.forget, name="kinesis-forget"),
    path("sqs/", sqs.page, name="sqs"),
    path("sqs/preset/", sqs.preset, name="sqs-preset"),
    path("sqs/reset/", sqs.reset, name="sqs-reset"),
    path("sqs/do/<slug:name>/", sqs.action, name="sqs-action"),
]
