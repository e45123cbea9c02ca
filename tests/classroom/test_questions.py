import csv
import io
import json

import pytest
from django.urls import reverse

from studyapp.classroom import questions
from studyapp.live.selectors import topics_with_questions
from studyapp.quizzes.models import Question

from .conftest import client_for, draft

pytestmark = pytest.mark.django_db


def test_an_instructor_writes_a_question_in_the_form(instructor):
    client = client_for(instructor)
    assert client.get(reverse("classroom:question_new")).status_code == 200
    task = draft().task
    response = client.post(
        reverse("classroom:question_new"),
        {"stem": "Which **two** store data? <script>x()</script>", "task": task.pk,
         "difficulty": 2, "explanation": "S3 and DynamoDB store data.",
         "sources": "https://docs.aws.amazon.com/s3/\nhttps://docs.aws.amazon.com/dynamodb/",
         "choice_0": "S3", "correct_0": "on", "choice_1": "DynamoDB", "correct_1": "on",
         "choice_2": "SQS", "why_2": "A queue."},
    )  # fmt: skip
    assert response.status_code == 302
    question = Question.objects.get(owner=instructor)
    assert (
        question.kind == "multiple" and question.task == task and question.domain == task.domain_id
    )
    assert "<strong>two</strong>" in question.stem_html
    assert "<script>" not in question.stem_html and "&lt;script&gt;" in question.stem_html
    assert [(c.text, c.correct) for c in question.choices.all()] == [
        ("S3", True), ("DynamoDB", True), ("SQS", False)
    ]  # fmt: skip
    assert question.choices.get(text="SQS").why_html == "A queue."
    assert question.sources == [
        "https://docs.aws.amazon.com/s3/",
        "https://docs.aws.amazon.com/dynamodb/",
    ]


def test_a_question_without_a_right_option_or_explanation_is_a_400(instructor):
    client = client_for(instructor)
    response = client.post(
        reverse("classroom:question_new"),
        {"stem": "Q?", "task": draft().task.pk, "difficulty": 2, "explanation": "E.",
         "choice_0": "a", "choice_1": "b"},
    )  # fmt: skip
    assert response.status_code == 400 and "Mark at least one option" in response.content.decode()
    assert not Question.objects.filter(owner=instructor).exists()


def test_own_questions_never_enter_the_public_bank(instructor, own_question):
    assert not Question.objects.active().filter(pk=own_question.pk).exists()
    assert list(Question.objects.owned_by(instructor)) == [own_question]
    # The live quiz's topic picker counts the public bank only.
    bank = Question.objects.active().count()
    assert sum(t.question_total for t in topics_with_questions() if t.parent_id is None) <= bank


def test_the_preview_renders_markdown_and_never_raw_html(instructor):
    response = client_for(instructor).post(
        reverse("classroom:preview"),
        {"stem": "**bold** <img src=x onerror=y()>", "explanation": "`code`"},
    )
    body = response.content.decode()
    assert "<strong>bold</strong>" in body and "<img" not in body and "<code>code</code>" in body


def test_questions_of_another_instructor_are_not_found(own_question, other_instructor):
    client = client_for(other_instructor)
    assert client.get(reverse("classroom:question_edit", args=[own_question.pk])).status_code == 404
    assert (
        client.post(reverse("classroom:question_retire", args=[own_question.pk])).status_code == 404
    )
    exported = json.loads(client.get(reverse("classroom:export_json")).content)
    assert exported == {"questions": []}


def test_json_export_has_the_banks_fields_and_imports_back(instructor, own_question):
    client = client_for(instructor)
    document = json.loads(client.get(reverse("classroom:export_json")).content)
    (entry,) = document["questions"]
    assert set(entry) == {"id", "topic", "task", "domain", "kind", "stem", "choices",
                          "explanation", "sources"}  # fmt: skip
    assert entry["choices"][1] == {
        "text": "Amazon SQS",
        "correct": False,
        "why": "A queue, not storage.",
    }
    entry["stem"] = "Changed stem, more than one sentence. Which one?"
    again = {"id": "brand-new", **{k: v for k, v in entry.items() if k != "id"}}
    upload = io.BytesIO(json.dumps({"questions": [entry, again]}).encode())
    upload.name = "mine.json"
    response = client.post(reverse("classroom:question_import"), {"file": upload})
    assert response.status_code == 302
    mine = Question.objects.owned_by(instructor).order_by("pk")
    assert mine.count() == 2  # the first updated in place, the second new
    assert mine[0].pk == own_question.pk and mine[0].stem_text.startswith("Changed stem")


def test_csv_export_is_formula_safe_and_imports_back(instructor):
    tricky = draft(stem="=HYPERLINK(\"//x\") is a formula. Which one?",
                   choices=[questions.ChoiceDraft("-1", True), questions.ChoiceDraft("+2", False)])  # fmt: skip
    questions.question_save(owner=instructor, draft=tricky)
    client = client_for(instructor)
    text = client.get(reverse("classroom:export_csv")).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["stem"].startswith("'=") and rows[0]["choice_a"] == "'-1"
    assert rows[0]["correct"] == "A"
    assert all(
        not cell.startswith(("=", "+", "-", "@"))
        for row in csv.reader(io.StringIO(text))
        for cell in row
    )
    upload = io.BytesIO(text.encode())
    upload.name = "mine.csv"
    assert client.post(reverse("classroom:question_import"), {"file": upload}).status_code == 302
    question = Question.objects.owned_by(instructor).get()  # same id: updated, not duplicated
    assert question.stem_text.startswith("=HYPERLINK")
    assert [c.text for c in question.choices.all()] == ["-1", "+2"]


def test_a_bad_import_names_the_row_and_imports_nothing(instructor):
    good = "task,stem,explanation,correct,choice_a,choice_b\n1.1,Q one?,E.,A,x,y\n"
    bad = good + "9.9,Q two?,E.,A,x,y\n"
    upload = io.BytesIO(bad.encode())
    upload.name = "q.csv"
    response = client_for(instructor).post(reverse("classroom:question_import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 400 and "row 3" in body and "9.9" in body
    assert not Question.objects.filter(owner=instructor).exists()


def test_learners_cannot_write_questions(learner):
    client = client_for(learner)
    for name in ("questions", "question_new", "export_json", "export_csv"):
        assert client.get(reverse(f"classroom:{name}")).status_code == 403
    assert client.post(reverse("classroom:preview"), {"stem": "x"}).status_code == 403
