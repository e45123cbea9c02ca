"""The loaded content as one JSON-serialisable document (later issues add cards, questions)."""

from studyapp.notes.models import Topic


def export_document() -> dict:
    topics = Topic.objects.active().select_related("parent").order_by("order")
    return {
        "topics": [
            {
                "slug": topic.slug,
                "title": topic.title,
                "parent": topic.parent.slug if topic.parent else None,
                "level": topic.level,
                "order": topic.order,
            }
            for topic in topics
        ]
    }
