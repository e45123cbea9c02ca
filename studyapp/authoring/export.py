"""The loaded content as one JSON-serialisable document (later issues add cards, questions)."""

from studyapp.cards.models import Card
from studyapp.notes.models import Topic
from studyapp.quizzes.models import Question


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
        ],
        "cards": [
            {
                "id": card.key,
                "topic": card.topic.slug,
                "kind": card.kind,
                "front": card.front_text,
                "back": card.back_text,
            }
            for card in Card.objects.filter(owner__isnull=True, retired=False)
            .select_related("topic")
            .order_by("order", "pk")
        ],
        "questions": [
            {
                "id": question.key,
                "topic": question.topic.slug,
                "domain": question.domain,
                "kind": question.kind,
                "stem": question.stem_text,
                "choices": [
                    {"text": choice.text, "correct": choice.correct}
                    for choice in question.choices.all()
                ],
                "explanation": question.explanation_text,
            }
            for question in Question.objects.active()
            .select_related("topic")
            .prefetch_related("choices")
            .order_by("order", "pk")
        ],
    }
