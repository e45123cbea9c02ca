import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from studyapp.authoring.blocks import ContentError
from studyapp.authoring.loader import collect, load_content
from studyapp.notes.models import Topic
from tests.authoring.support import write_guide

NOTES = Path(settings.CONTENT_DIR) / "notes" / "aws-developer-notes.md"
HEADING = re.compile(r"^(#{1,4})\s+(.+?)\s*$")


def headings_of(text: str) -> list[tuple[int, str]]:
    found, in_fence = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match:
            found.append((len(match[1]), match[2]))
    return found


@pytest.fixture
def content_dir(tmp_path):
    """A private copy of content/ that a test may edit."""
    target = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, target)
    return target


@pytest.mark.django_db
def test_every_heading_of_the_notes_is_a_topic_in_document_order():
    expected = headings_of(NOTES.read_text(encoding="utf-8"))
    topics = list(
        Topic.objects.active()
        .filter(kind=Topic.Kind.NOTES)
        .order_by("order")
        .values_list("level", "title")
    )
    assert topics == expected
    assert len(topics) == 49


@pytest.mark.django_db
def test_topics_nest_under_the_nearest_smaller_heading():
    assert Topic.objects.get(slug="iam-policies").parent.slug == "permisos"
    assert Topic.objects.get(slug="permisos").parent.slug == "aim"
    assert Topic.objects.get(slug="aim").parent.slug == "aws-developer"
    assert (
        Topic.objects.get(slug="sqs-fifo-queue").parent.slug
        == "20-aws-integrations-messaging-sqs-sns-kinesis"
    )
    # "## EventBridge" follows "### CloudWath" but is a sibling of the chapter, not a child.
    assert Topic.objects.get(slug="eventbridge").parent.slug == "aws-developer"


@pytest.mark.django_db
def test_numbered_chapters_get_readable_slugs():
    chapter = Topic.objects.get(slug="7-aws-fundamentals-elb-asg")
    assert chapter.title == "7 - AWS Fundamentals : ELB + ASG"
    assert chapter.level == 2


@pytest.mark.django_db
def test_separator_lines_belong_to_no_topic():
    storage = Topic.objects.get(slug="efs-performance-storage-classess")
    assert "<hr" not in storage.body_html
    assert not storage.body_markdown.rstrip().endswith("---")


@pytest.mark.django_db
def test_bold_bullets_of_the_elb_chapter_are_anchors_in_its_toc():
    chapter = Topic.objects.get(slug="7-aws-fundamentals-elb-asg")
    titles = [entry["title"] for entry in chapter.toc]
    assert "Application Load Balancer (ALB)" in titles
    assert "Network Load Balancer (NLB)" in titles
    assert "Auto Scaling Group - Dynamic Scaling Policies" in titles
    assert 'id="application-load-balancer-alb"' in chapter.body_html


@pytest.mark.django_db
def test_empty_section_is_kept_as_a_topic():
    topic = Topic.objects.get(slug="lambda-asynchronoues-invocations")
    assert topic.body_html == ""
    assert topic.word_count == 0


@pytest.mark.django_db
def test_loading_twice_changes_nothing(content_dir):
    load_content(content_dir)
    before = list(Topic.objects.values_list("slug", "content_hash", "updated_at", "pk"))
    report = load_content(content_dir)
    after = list(Topic.objects.values_list("slug", "content_hash", "updated_at", "pk"))
    assert before == after
    assert report.counts["topics unchanged"] == Topic.objects.count()
    assert report.counts["topics updated"] == report.counts["topics created"] == 0


@pytest.mark.django_db
def test_editing_one_section_updates_only_that_topic(content_dir):
    notes = content_dir / "notes" / "aws-developer-notes.md"
    load_content(content_dir)
    before = dict(Topic.objects.values_list("slug", "updated_at"))
    text = notes.read_text(encoding="utf-8")
    notes.write_text(
        text.replace("- Useful for debugging", "- Useful for debugging poison messages"),
        encoding="utf-8",
    )
    report = load_content(content_dir)
    after = dict(Topic.objects.values_list("slug", "updated_at"))
    changed = {slug for slug in after if after[slug] != before[slug]}
    assert changed == {"sqs-dead-letter-queue"}
    assert report.counts["topics updated"] == 1
    assert "poison messages" in Topic.objects.get(slug="sqs-dead-letter-queue").body_html


@pytest.mark.django_db
def test_slugs_survive_reloading_and_removed_headings_are_retired(content_dir):
    for folder in (
        "cards",
        "questions",
        "guide",
        "scenarios",
    ):  # they name topics; this is about the notes
        shutil.rmtree(content_dir / folder)
    write_guide(content_dir)
    notes = content_dir / "notes" / "aws-developer-notes.md"
    load_content(content_dir)
    pk = Topic.objects.get(slug="sqs-long-polling").pk
    text = notes.read_text(encoding="utf-8")
    notes.write_text(
        text.replace("### Lambda Edge\n", "").replace(
            "### SQS Delay queue\n", "### SQS Delay queue\n\nNew line.\n"
        ),
        encoding="utf-8",
    )
    display = content_dir / "notes-display.md"  # it must not name the removed heading
    display.write_text(
        display.read_text(encoding="utf-8").replace("## lambda-edge\ntitle: Lambda@Edge\n", ""),
        encoding="utf-8",
    )
    load_content(content_dir)
    assert Topic.objects.get(slug="sqs-long-polling").pk == pk
    assert Topic.objects.get(slug="lambda-edge").retired
    assert not Topic.objects.active().filter(slug="lambda-edge").exists()


def test_duplicate_headings_get_numbered_slugs(tmp_path):
    write_guide(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text(
        "# Top\n## Usage\ntext\n## Usage\nmore\n", encoding="utf-8"
    )
    bundle = collect(tmp_path)
    assert [draft.slug for draft in bundle.topics] == ["top", "usage", "usage-2"]


def test_text_before_the_first_heading_is_an_error(tmp_path):
    write_guide(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("orphan line\n# Top\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"a\.md:1: text before the first heading"):
        collect(tmp_path)


def test_hash_lines_inside_code_fences_are_not_headings(tmp_path):
    write_guide(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("# Top\n```bash\n# a comment\n```\n", encoding="utf-8")
    bundle = collect(tmp_path)
    assert [draft.title for draft in bundle.topics] == ["Top"]
    assert "# a comment" in bundle.topics[0].body_text
