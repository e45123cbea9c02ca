"""The loaded content as one JSON-serialisable document: exam guide, topics, cards, questions."""

from studyapp.cards.models import Card
from studyapp.notes.models import ExamDomain, Topic
from studyapp.quizzes.models import Question


def export_document() -> dict:
    topics = (
        Topic.objects.active()
        .select_related("parent", "covers")
        .prefetch_related("tasks")
        .order_by("order")
    )
    return {
        "domains": [
            {
                "number": domain.number,
                "title": domain.title,
                "weight": domain.weight,
                "sources": domain.sources,
                "tasks": [
                    {"code": task.code, "title": task.title, "weight": task.weight}
                    for task in domain.tasks.all()
                ],
            }
            for domain in ExamDomain.objects.prefetch_related("tasks")
        ],
        "topics": [
            {
                "slug": topic.slug,
                "kind": topic.kind,
                "title": topic.title,
                "parent": topic.parent.slug if topic.parent else None,
                "level": topic.level,
                "order": topic.order,
                "tasks": [task.code for task in topic.tasks.all()],
                **(
                    {
                        "summary": topic.summary,
                        "covers": topic.covers.slug if topic.covers else None,
                        "body": topic.body_markdown,
                    }
                    if topic.is_guide
                    else {}
                ),
            }
            for topic in topics
        ],
        "cards": [
            {
                "id": card.key,
                "topic": card.topic.slug,
                "task": card.task.code if card.task else None,
                "kind": card.kind,
                "front": card.front_text,
                "back": card.back_text,
                "sources": card.sources,
            }
            for card in Card.objects.filter(owner__isnull=True, retired=False)
            .select_related("topic", "task")
            .order_by("order", "pk")
        ],
        "questions": [
            {
                "id": question.key,
                "topic": question.topic.slug,
                "task": question.task.code if question.task else None,
                "domain": question.domain,
                "kind": question.kind,
                "stem": question.stem_text,
                "choices": [
                    {"text": choice.text, "correct": choice.correct}
                    for choice in question.choices.all()
                ],
                "explanation": question.explanation_text,
                "sources": question.sources,
            }
            for question in Question.objects.active()
            .select_related("topic", "task")
            .prefetch_related("choices")
            .order_by("order", "pk")
        ],
    }
