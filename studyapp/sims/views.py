"""The list of simulators."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

SIMULATORS = [
    (
        "sims:sqs",
        _("Amazon SQS"),
        _("Visibility timeout, dead-letter queues, delays, long polling, FIFO."),
    ),
    (
        "sims:kinesis",
        _("Kinesis Data Streams"),
        _("Shards, partition keys, hot shards, split and merge."),
    ),
    (
        "sims:dynamodb",
        _("Amazon DynamoDB"),
        _("Partitions, capacity units, Query versus Scan, indexes, conditions and transactions."),
    ),
    (
        "sims:iam",
        _("IAM policy evaluation"),
        _("Allow, explicit deny, implicit deny: the whole flowchart."),
    ),
]


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    available = []
    for name, title, summary in SIMULATORS:
        try:
            available.append({"url": reverse(name), "title": title, "summary": summary})
        except NoReverseMatch:
            continue  # that simulator's page is not installed yet
    return render(request, "sims/index.html", {"simulators": available})
