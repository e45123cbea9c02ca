from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from studyapp.http import HtmxHttpRequest

from . import guide, pagecache, selectors
from . import search as search_index
from .models import Topic

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml"}  # fmt: skip


@require_safe
def home(request: HtmxHttpRequest) -> HttpResponse:
    last_read, next_topic = selectors.next_to_study(request.user)
    return render(
        request,
        "notes/home.html",
        {"topics": selectors.topic_tree(), "last_read": last_read, "next_topic": next_topic},
    )


@require_safe
def topic_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    try:
        topic = selectors.topic_with_ancestors(slug)
    except Topic.DoesNotExist:
        raise Http404("No topic with that name.") from None
    selectors.record_read(request.user, topic)
    counts = selectors.study_counts(topic)
    body = pagecache.topic_body(topic, counts, lambda: _topic_body(topic, counts))
    # The body is our own template's output, escaped when it was rendered.
    return render(request, "notes/topic.html", {"topic": topic, "body": mark_safe(body)})


def _topic_body(topic: Topic, counts: dict[str, int]) -> str:
    previous, following = selectors.neighbours(topic)
    context = {
        "topic": topic,
        "breadcrumbs": selectors.breadcrumbs(topic),
        "children": topic.display_children.filter(retired=False)
        .only("slug", "title", "display_title")
        .order_by("display_order"),
        "errata_count": topic.errata.count(),
        "completed_by": topic.covered_by.filter(retired=False).only(
            "slug", "title", "display_title"
        ),
        "counts": counts,
        "previous": previous,
        "next": following,
    }
    return render_to_string("notes/_topic_body.html", context)


@require_safe
def exam_guide(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "notes/guide.html", {"domains": guide.exam_guide(request.user)})


@require_safe
def task_detail(request: HtmxHttpRequest, code: str) -> HttpResponse:
    task = guide.task_by_code(code)
    if task is None:
        raise Http404("No task statement with that number.")
    (summary,) = guide.task_summaries(request.user, [task])
    return render(request, "notes/task.html", {"task": task, "summary": summary})


@require_safe
@vary_on_headers("HX-Request")
def search(request: HtmxHttpRequest) -> HttpResponse:
    # PostgreSQL refuses NUL in a query; no note holds one, so it is dropped, not searched.
    query = request.GET.get("q", "").replace("\x00", "").strip()[: search_index.MAX_QUERY_LENGTH]
    kind = request.GET.get("kind", "")
    kind = kind if kind in search_index.KIND_WEIGHT else ""
    outcome = search_index.search(query, kind=kind) if query else None
    context = {
        "query": query,
        "kind": kind,
        "outcome": outcome,
        "results": outcome.results if outcome else [],
        "tabs": search_index.kind_tabs(outcome) if outcome else [],
    }
    template = "notes/search.html#results" if request.htmx else "notes/search.html"
    return render(request, template, context)


@require_safe
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
