"""Instructors' own questions: write, edit, retire, import and export them.

They are ``quizzes.Question`` rows with ``owner`` set, in the bank's shapes (Choice rows with
``correct`` and ``why_html``, an explanation, a task statement, source links), so practice,
live games and assignments use them unchanged; ``Question.objects.active()`` (the public bank
and its statistics) never includes them. Their Markdown is rendered once, when saved, by
``render_user_markdown`` (linear time, sanitised), never by the authored-content renderer.

Import and export use the bank's JSON (``manage.py export_content``: id, topic, task, kind,
stem, choices [{text, correct}], explanation, sources; plus each choice's ``why``), and a CSV
with the same fields, one row per question (see ``CSV_HEADER``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
from dataclasses import dataclass, field
from html import unescape

from django.db import transaction
from django.utils.translation import gettext as _

from studyapp import spreadsheet
from studyapp.notes.models import TaskStatement, Topic
from studyapp.notes.usermarkdown import render_user_markdown
from studyapp.quizzes.models import Choice, Question

MAX_CHOICES = 6
MIN_CHOICES = 2
MAX_TEXT = 5000
MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_QUESTIONS = 500
LETTERS = "ABCDEF"
URL = re.compile(r"^https://\S+$")
CSV_HEADER = ["id", "task", "topic", "stem", "explanation", "sources", "correct",
              *[f"{kind}_{letter.lower()}" for letter in LETTERS for kind in ("choice", "why")]]  # fmt: skip


class QuestionError(ValueError):
    """A question that cannot be saved; the message says why (and where, for an import)."""


@dataclass
class ChoiceDraft:
    text: str
    correct: bool = False
    why: str = ""


@dataclass
class QuestionDraft:
    stem: str
    explanation: str
    task: TaskStatement
    topic: Topic | None = None
    sources: list[str] = field(default_factory=list)
    choices: list[ChoiceDraft] = field(default_factory=list)
    difficulty: int = 2
    key: str = ""  # an existing question of this owner to update, when importing

    @property
    def kind(self) -> str:
        correct = sum(choice.correct for choice in self.choices)
        return Question.Kind.MULTIPLE if correct > 1 else Question.Kind.SINGLE


def check(draft: QuestionDraft) -> None:
    if not draft.stem.strip():
        raise QuestionError(_("The question has no text."))
    if not draft.explanation.strip():
        raise QuestionError(_("Write an explanation: learners read it after answering."))
    if not MIN_CHOICES <= len(draft.choices) <= MAX_CHOICES:
        raise QuestionError(_("A question has from 2 to 6 options."))
    if not any(choice.correct for choice in draft.choices):
        raise QuestionError(_("Mark at least one option as correct."))
    if all(choice.correct for choice in draft.choices):
        raise QuestionError(_("At least one option must be wrong."))
    texts = [draft.stem, draft.explanation] + [c.text for c in draft.choices]
    if any(len(text) > MAX_TEXT for text in texts):
        raise QuestionError(_("Each text has at most 5000 characters."))
    for url in draft.sources:
        if not URL.match(url):
            raise QuestionError(_("Sources are https:// links, one per line."))


def _inline(text: str) -> str:
    html = render_user_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def _topic_for(task: TaskStatement) -> Topic:
    topic = (
        Topic.objects.active().filter(home_task=task).order_by("order").first()
        or Topic.objects.active().filter(tasks=task).order_by("order").first()
        or Topic.objects.active().order_by("order").first()
    )
    if topic is None:
        raise QuestionError(_("No topic is loaded yet: load the content first."))
    return topic


def question_save(*, owner, draft: QuestionDraft, question: Question | None = None) -> Question:
    """Create the owner's question from ``draft``, or update ``question`` (theirs) in place.

    Options are updated by position, so answers already given keep pointing at them.
    """
    check(draft)
    if question is not None and question.owner_id != owner.pk:
        raise QuestionError(_("This question belongs to someone else."))
    values = {
        "topic": draft.topic or _topic_for(draft.task),
        "task": draft.task,
        "domain": draft.task.domain_id,
        "difficulty": draft.difficulty,
        "kind": draft.kind,
        "stem_text": draft.stem.strip(),
        "stem_html": render_user_markdown(draft.stem),
        "explanation_text": draft.explanation.strip(),
        "explanation_html": render_user_markdown(draft.explanation),
        "sources": list(draft.sources),
        "retired": False,
    }
    with transaction.atomic():
        if question is None:
            question = Question.objects.create(
                key=f"own-{owner.pk}-{secrets.token_hex(6)}", owner=owner, **values
            )
        else:
            for name, value in values.items():
                setattr(question, name, value)
            question.save()
        existing = {choice.position: choice for choice in question.choices.all()}
        for position, draft_choice in enumerate(draft.choices):
            choice = existing.pop(position, None) or Choice(question=question, position=position)
            choice.text = draft_choice.text.strip()
            choice.text_html = _inline(draft_choice.text)
            choice.correct = draft_choice.correct
            choice.why_html = _inline(draft_choice.why) if draft_choice.why.strip() else ""
            choice.save()
        Choice.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
    return question


def question_retire(*, owner, question: Question) -> None:
    """Take a question out of use; games and homework already played keep it."""
    if question.owner_id != owner.pk:
        raise QuestionError(_("This question belongs to someone else."))
    Question.objects.filter(pk=question.pk).update(retired=True)


# --- export -----------------------------------------------------------------------------------


def why_text(html: str) -> str:
    """The text of a stored ``why`` (only its HTML is kept): its Markdown marks are lost."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def as_document(questions) -> list[dict]:
    """The bank's JSON shape (``authoring.export``), with each choice's ``why``."""
    return [
        {
            "id": question.key,
            "topic": question.topic.slug,
            "task": question.task.code if question.task else None,
            "domain": question.domain,
            "kind": question.kind,
            "stem": question.stem_text,
            "choices": [
                {"text": c.text, "correct": c.correct, "why": why_text(c.why_html)}
                for c in question.choices.all()
            ],
            "explanation": question.explanation_text,
            "sources": question.sources,
        }
        for question in questions
    ]


def export_json(questions) -> str:
    return json.dumps({"questions": as_document(questions)}, ensure_ascii=False, indent=2)


def export_csv(questions, stream) -> None:
    """One row per question; every text cell made safe to open in a spreadsheet."""
    rows = [CSV_HEADER]
    for entry in as_document(questions):
        choices = entry["choices"][:MAX_CHOICES]
        correct = " ".join(LETTERS[i] for i, c in enumerate(choices) if c["correct"])
        cells = [entry["id"], entry["task"] or "", entry["topic"], entry["stem"],
                 entry["explanation"], " ".join(entry["sources"]), correct]  # fmt: skip
        for index in range(MAX_CHOICES):
            choice = choices[index] if index < len(choices) else {"text": "", "why": ""}
            cells += [choice["text"], choice["why"]]
        rows.append(cells)
    spreadsheet.write_rows(stream, rows)


# --- import -----------------------------------------------------------------------------------


def _unsafe(value) -> str:
    """Undo spreadsheet.safe_cell's apostrophe, so an export imports back as it was."""
    text = value if isinstance(value, str) else ""
    if text.startswith("'") and text[1:2] and text[1:2] in spreadsheet.FORMULA_STARTS:
        return text[1:]
    return text


def _draft_from(entry: dict, tasks: dict, topics: dict, where: str) -> QuestionDraft:
    if not isinstance(entry, dict):
        raise QuestionError(_("%(where)s: not a question.") % {"where": where})
    task = tasks.get(str(entry.get("task") or ""))
    if task is None:
        raise QuestionError(
            _("%(where)s: unknown task statement %(task)r.")
            % {"where": where, "task": entry.get("task")}
        )
    raw_choices = entry.get("choices")
    if not isinstance(raw_choices, list):
        raise QuestionError(_("%(where)s: no options.") % {"where": where})
    choices = [
        ChoiceDraft(str(c.get("text") or ""), bool(c.get("correct")), str(c.get("why") or ""))
        for c in raw_choices
        if isinstance(c, dict) and str(c.get("text") or "").strip()
    ]
    sources = entry.get("sources") or []
    if isinstance(sources, str):
        sources = sources.split()
    draft = QuestionDraft(
        stem=str(entry.get("stem") or ""),
        explanation=str(entry.get("explanation") or ""),
        task=task,
        topic=topics.get(str(entry.get("topic") or "")),
        sources=[str(url) for url in sources if str(url).strip()],
        choices=choices,
        key=str(entry.get("id") or ""),
    )
    try:
        check(draft)
    except QuestionError as error:
        raise QuestionError(f"{where}: {error}") from None
    return draft


def _entries_from_csv(text: str) -> list[tuple[str, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"task", "stem", "correct"} <= set(reader.fieldnames):
        raise QuestionError(_("The CSV needs a header row with at least task, stem and correct."))
    entries = []
    for row in reader:
        cells = {name: _unsafe(value) for name, value in row.items() if name}
        correct = {letter.upper() for letter in re.findall(r"[A-Fa-f]", cells.get("correct", ""))}
        choices = [
            {"text": cells.get(f"choice_{letter.lower()}", ""),
             "why": cells.get(f"why_{letter.lower()}", ""), "correct": letter in correct}
            for letter in LETTERS
        ]  # fmt: skip
        entry = {**cells, "sources": cells.get("sources", "").split(), "choices": choices}
        entries.append((_("row %(n)s") % {"n": reader.line_num}, entry))
    return entries


def _entries_from_json(text: str) -> list[tuple[str, dict]]:
    try:
        document = json.loads(text)
    except ValueError:
        raise QuestionError(_("The file is not valid JSON.")) from None
    entries = document.get("questions") if isinstance(document, dict) else document
    if not isinstance(entries, list):
        raise QuestionError(_('The JSON needs a list of questions (or {"questions": [...]}).'))
    return [(_("question %(n)s") % {"n": n}, entry) for n, entry in enumerate(entries, start=1)]


def questions_import(*, owner, data: bytes, filename: str) -> list[Question]:
    """Import questions (all or none); an ``id`` of one of the owner's questions updates it."""
    if len(data) > MAX_IMPORT_BYTES:
        raise QuestionError(_("The file is larger than 1 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise QuestionError(_("The file is not UTF-8 text.")) from None
    if filename.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
        entries = _entries_from_json(text)
    else:
        try:
            entries = _entries_from_csv(text)
        except csv.Error as error:
            raise QuestionError(str(error)) from None
    if not entries:
        raise QuestionError(_("The file has no questions."))
    if len(entries) > MAX_IMPORT_QUESTIONS:
        raise QuestionError(_("At most 500 questions per file."))
    tasks = {task.code: task for task in TaskStatement.objects.all()}
    topics = {topic.slug: topic for topic in Topic.objects.active()}
    drafts = [_draft_from(entry, tasks, topics, where) for where, entry in entries]
    mine = {q.key: q for q in Question.objects.filter(owner=owner, key__in=[d.key for d in drafts])}
    with transaction.atomic():
        return [
            question_save(owner=owner, draft=draft, question=mine.get(draft.key))
            for draft in drafts
        ]
