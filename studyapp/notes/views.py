from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from . import selectors
from .models import Topic

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml"}  # fmt: skip


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    last_read, next_topic = selectors.next_to_study(request.user)
    return render(
        request,
        "notes/home.html",
        {"topics": selectors.topic_tree(), "last_read": last_read, "next_topic": next_topic},
    )


@require_GET
def topic_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    try:
        topic = selectors.topic_with_ancestors(slug)
    except Topic.DoesNotExist:
        raise Http404("No topic with that name.") from None
    previous, following = selectors.neighbours(topic)
    selectors.record_read(request.user, topic)
    return render(
        request,
        "notes/topic.html",
        {
            "topic": topic,
            "breadcrumbs": selectors.breadcrumbs(topic),
            "children": topic.children.filter(retired=False).only("slug", "title", "level"),
            "errata_count": topic.errata.count(),
            "previous": previous,
            "next": following,
        },
    )


@require_GET
@vary_on_headers("HX-Request")
def search(request: HtmxHttpRequest) -> HttpResponse:
    # PostgreSQL refuses NUL in a query; no note holds one, so it is dropped, not searched.
    query = request.GET.get("q", "").replace("\x00", "").strip()
    results = selectors.search_topics(query) if query else []
    template = "notes/search.html#results" if request.htmx else "notes/search.html"
    return render(request, template, {"query": query, "results": results})


@require_GET
def note_image(request: HttpRequest, path: str) -> FileResponse:
    notes_dir = (Path(settings.CONTENT_DIR) / "notes").resolve()
    try:
        candidate = (notes_dir / path).resolve()
        content_type = IMAGE_TYPES.get(candidate.suffix.lower())
        found = content_type and notes_dir in candidate.parents and candidate.is_file()
    except (OSError, ValueError):  # a name too long for the OS, or one with a NUL in it
        found = False
    if not found:
        raise Http404("No such image.")
    return FileResponse(candidate.open("rb"), content_type=content_type)
