"""The exam guide as data, and study guide pages: parsed, validated and loaded as topics."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from studyapp.authoring.blocks import ContentError
from studyapp.authoring.guide import parse_exam_guide, parse_guide_page
from studyapp.authoring.loader import collect, load_content
from studyapp.notes.models import ExamDomain, TaskStatement, Topic

GUIDE = Path(settings.CONTENT_DIR) / "guide" / "exam.md"

PAGE = """title: DynamoDB keys
task: 1.3 4.3
order: 5
summary: Partition keys and capacity.
covers: lambda-asynchronoues-invocations

A table holds items.

## Partition keys

Spread writes over many key values.

Source: [Partitions](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.Partitions.html)

## Capacity

One WCU writes 1 KB per second.

```python
# a comment, not a heading
## nor is this
```

Source: <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html>
"""


def page(text: str = PAGE, name: str = "dynamodb-keys.md"):
    return parse_guide_page(Path("guide/pages") / name, text)


@pytest.fixture
def content_dir(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, target)
    return target


def test_the_real_exam_guide_has_four_domains_and_thirteen_tasks():
    domains = parse_exam_guide(GUIDE, GUIDE.read_text(encoding="utf-8"))
    assert [(d.number, d.weight) for d in domains] == [(1, 32), (2, 26), (3, 24), (4, 18)]
    codes = [task.code for domain in domains for task in domain.tasks]
    assert codes == [
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3"
    ]  # fmt: skip
    for domain in domains:
        assert domain.sources[0].startswith("https://docs.aws.amazon.com/aws-certification/")
        for task in domain.tasks:
            assert "Knowledge of:" in task.body or "Skills in:" in task.body


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("weight: 32", "weight: 33"), r"exam\.md:1: the domains' weights"),
        (lambda t: t.replace("### 1.2", "### 1.4"), r"tasks must be numbered in order"),
        (lambda t: t.replace("### 2.1", "### 1.9", 1), r"task 1\.9 is not under its domain"),
        (lambda t: t.replace("title: Security\n", "titel: Security\n"), r"unknown field `titel:`"),
        (lambda t: "stray\n" + t, r"exam\.md:1: text before the first `## N` domain"),
        (lambda t: t.replace("weight: 35\nnotes: 20", "weight: 36\nnotes: 20"), r"must add up"),
    ],
)
def test_exam_guide_errors_name_file_and_line(edit, message):
    text = GUIDE.read_text(encoding="utf-8")
    with pytest.raises(ContentError, match=message):
        parse_exam_guide(GUIDE, edit(text))


def test_guide_page_fields_and_body():
    draft = page()
    assert draft.slug == "dynamodb-keys"
    assert (draft.title, draft.tasks, draft.order) == ("DynamoDB keys", ["1.3", "4.3"], 5)
    assert draft.covers == "lambda-asynchronoues-invocations"
    assert draft.body.startswith("A table holds items.")
    assert draft.body_line == 7


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (PAGE.replace("task: 1.3 4.3\n", ""), r"dynamodb-keys\.md:1: missing field `task:`"),
        (PAGE.replace("order: 5", "order: soon"), r"dynamodb-keys\.md:3: order must be a number"),
        (PAGE.replace("summary:", "sumary:"), r"dynamodb-keys\.md:4: unknown field `sumary:`"),
        (
            PAGE.replace("Source: [Partitions](https://docs.aws", "Source: [P](https://example"),
            r"dynamodb-keys\.md:9: section 'Partition keys' cites no AWS documentation page",
        ),
        (PAGE.split("\n\n", 1)[0] + "\n\nJust text.\n", r"needs `##` sections"),
    ],
)
def test_guide_page_errors_name_file_and_line(text, message):
    with pytest.raises(ContentError, match=message):
        page(text)


def test_a_guide_page_file_name_must_be_a_slug():
    with pytest.raises(ContentError, match=r"Keys\.md:1: the file name 'Keys'"):
        page(name="Keys.md")


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        ("sqs.md", lambda t: t, r"sqs\.md:1: the slug 'sqs' is already a notes topic's"),
        ("keys.md", lambda t: t.replace("task: 1.3 4.3", "task: 5.1"), r"unknown task '5\.1'"),
        ("keys.md", lambda t: t.replace("covers: lambda-", "covers: nope-"), r"unknown notes"),
    ],
)
def test_guide_page_references_are_checked(content_dir, name, edit, message):
    (content_dir / "guide" / "pages").mkdir(parents=True, exist_ok=True)
    (content_dir / "guide" / "pages" / name).write_text(edit(PAGE), encoding="utf-8")
    with pytest.raises(ContentError, match=message):
        collect(content_dir)


def test_a_card_with_an_unknown_task_is_refused(content_dir):
    cards = content_dir / "cards" / "sqs.md"
    cards.write_text(
        cards.read_text(encoding="utf-8").replace("task: 1.1", "task: 1.7", 1), encoding="utf-8"
    )
    with pytest.raises(ContentError, match=r"sqs\.md:\d+: unknown task '1\.7'"):
        collect(content_dir)


@pytest.mark.django_db
def test_guide_pages_load_as_topics_linked_to_their_tasks(content_dir):
    (content_dir / "guide" / "pages").mkdir(parents=True, exist_ok=True)
    (content_dir / "guide" / "pages" / "zz-dynamodb-keys.md").write_text(PAGE, encoding="utf-8")
    load_content(content_dir)
    topic = Topic.objects.get(slug="zz-dynamodb-keys")
    assert topic.is_guide and topic.level == 1 and topic.parent is None
    assert sorted(topic.tasks.values_list("code", flat=True)) == ["1.3", "4.3"]
    assert topic.covers.slug == "lambda-asynchronoues-invocations"
    assert [entry["title"] for entry in topic.toc] == ["Partition keys", "Capacity"]
    assert "<h2" in topic.body_html and "Spread writes" in topic.body_text
    # The notes keep their own order; guide pages come after them.
    assert topic.order > Topic.objects.filter(kind="notes").order_by("-order").first().order
    report = load_content(content_dir)
    assert set(report.counts) == {"tasks unchanged", "topics unchanged", "errata unchanged",
                                  "cards unchanged", "questions unchanged"}  # fmt: skip


@pytest.mark.django_db
def test_notes_topics_are_linked_to_the_tasks_the_guide_names():
    assert list(
        Topic.objects.get(slug="sqs-long-polling").tasks.values_list("code", flat=True)
    ) == ["1.1"]
    assert ExamDomain.objects.count() == 4
    assert TaskStatement.objects.get(code="2.3").domain_id == 2
