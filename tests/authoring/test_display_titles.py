"""Display titles: navigation shows corrected titles and a sensible tree; the notes stay verbatim."""

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from studyapp.authoring.blocks import ContentError
from studyapp.authoring.display import diagrams_dir
from studyapp.authoring.loader import collect, load_content
from studyapp.notes.models import Topic
from tests.authoring.support import write_guide

NOTES = Path(settings.CONTENT_DIR) / "notes" / "aws-developer-notes.md"
NOTES_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "heading", "shown"),
    [
        ("aim", "AIM", "IAM"),
        ("cloudwath", "CloudWath", "CloudWatch"),
        ("efs-performance-storage-classess", "EFS Performance & Storage Classess", "EFS Performance & Storage Classes"),
        ("lambda-asynchronoues-invocations", "Lambda Asynchronoues Invocations", "Lambda Asynchronous Invocations"),
        ("ec2-elastic-computing-cloud", "EC2: Elastic Computing Cloud", "EC2: Elastic Compute Cloud"),
        ("mejores-practicas", "Mejores Practicas", "Mejores Practicas"),  # Spanish stays Spanish
        ("permisos", "Permisos", "Permisos"),
        ("sqs", "SQS", "SQS"),
    ],
)  # fmt: skip
def test_navigation_shows_corrected_titles_and_the_notes_keep_theirs(slug, heading, shown):
    assert topic(slug).title == heading
    assert topic(slug).display_title == shown


@pytest.mark.django_db
def test_ec2_ebs_and_efs_are_not_children_of_iam():
    for slug in (
        "ec2-elastic-computing-cloud",
        "ebs-elastic-block-store",
        "efs-elastic-file-system",
    ):
        assert topic(slug).parent.slug == "aim"  # what the notes' heading levels say
        assert topic(slug).display_parent.slug == "aws-developer"
        assert topic(slug).display_level == topic("aim").display_level
    assert topic("ebs-snapshots").display_parent.slug == "ebs-elastic-block-store"
    assert topic("ami").display_parent.slug == "ec2-elastic-computing-cloud"
    assert topic("sqs-fifo-queue").display_parent.slug == "sqs"
    assert topic("permisos").display_parent.slug == "aim"  # IAM keeps its own children
    assert not topic("aim").display_children.filter(slug__startswith="e").exists()


@pytest.mark.django_db
def test_the_home_tree_follows_the_display_tree(client):
    body = client.get(reverse("notes:home")).content.decode()
    tree = body[body.index('class="topic-tree"') :]
    entries = re.findall(r'<li class="level-(\d)">\s*<a href="/notes/([\w-]+)/">([^<]+)</a>', tree)
    by_slug = {slug: (int(level), title) for level, slug, title in entries}
    order = [slug for _level, slug, _title in entries]
    assert by_slug["aim"] == (2, "IAM")
    assert by_slug["ec2-elastic-computing-cloud"][0] == 2
    assert by_slug["cloudwath"][1] == "CloudWatch"
    assert by_slug["sqs-dead-letter-queue"][0] == by_slug["sqs"][0] + 1
    # EC2's own pages follow it, before EBS, though the notes put AMI after the EBS pages.
    ec2, ebs = order.index("ec2-elastic-computing-cloud"), order.index("ebs-elastic-block-store")
    assert ec2 < order.index("ami") < ebs < order.index("ebs-snapshots")
    assert "AIM</a>" not in tree and "CloudWath</a>" not in tree
    assert len(entries) == Topic.objects.active().filter(kind="notes").count()


@pytest.mark.django_db
def test_topic_page_shows_the_corrected_title_and_the_notes_heading_beside_it(client):
    body = client.get("/notes/aim/").content.decode()
    assert '<h1 id="topic-title">IAM</h1>' in body
    assert "(in the notes: AIM)" in body
    assert "<title>IAM · studyapp</title>" in body
    assert "Root account: Cuentra raiz" in body  # the body is the notes', as written
    body = client.get("/notes/sqs/").content.decode()
    assert "(in the notes:" not in body


@pytest.mark.django_db
def test_breadcrumbs_and_neighbours_use_display_titles(client):
    body = client.get("/notes/ebs-snapshots/").content.decode()
    start = body.index('class="breadcrumbs"')
    crumbs = body[start : body.index("</nav>", start)]
    assert re.findall(r'<a href="[^"]+">([^<]+)</a>', crumbs) == [
        "Notes",
        "AWS Developer",
        "EBS: Elastic Block Store",
    ]
    assert "AIM" not in crumbs
    body = client.get("/notes/19-aws-monitoring/").content.decode()
    assert "CloudWatch</a>" in body  # its child, under "In this section"
    body = client.get("/notes/efs-elastic-file-system/").content.decode()
    assert (
        'rel="next" href="/notes/efs-performance-storage-classess/">EFS Performance &amp; Storage Classes →'
        in body
    )


@pytest.mark.django_db
def test_exam_guide_lists_and_search_results_use_display_titles(client):
    body = client.get(reverse("notes:task", args=["2.1"])).content.decode()
    assert '<a href="/notes/aim/">IAM</a>' in body
    body = client.get(reverse("notes:task", args=["1.3"])).content.decode()
    assert "EFS Performance &amp; Storage Classes</a>" in body
    body = client.get(reverse("notes:search"), {"q": "cloudwatch"}).content.decode()
    assert '<a href="/notes/cloudwath/">CloudWatch</a>' in body


@pytest.mark.django_db
def test_every_missing_figure_of_the_notes_is_drawn_again_or_gone():
    images = NOTES_IMAGE.findall(NOTES.read_text(encoding="utf-8"))
    assert len(images) == 27
    notes = Topic.objects.active().filter(kind="notes")
    assert not any("missing-image" in t.body_html for t in notes)
    diagrams = re.findall(
        r'<img alt="([^"]+)" class="diagram" loading="lazy" src="/static/img/diagrams/([\w-]+\.svg)">',
        "".join(t.body_html for t in notes),
    )
    assert len(diagrams) == 23
    assert all(len(alt) > 60 for alt, _name in diagrams)  # each says what the figure shows
    for _alt, name in diagrams:
        svg = ET.parse(diagrams_dir() / name).getroot()
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        assert svg.find("{http://www.w3.org/2000/svg}title").text
    # The drawn ones teach what the notes say next to them.
    assert "ebs-volume.svg" in topic("ebs-elastic-block-store").body_html
    assert "sqs-visibility-timeout.svg" in topic("sqs-message-visibility-timeout").body_html
    assert "kinesis-shard-split.svg" in topic("kinesis-data-stream").body_html
    assert (
        "<img"
        not in topic("kinesis-data-stream")
        .body_html.split("Kinesis Data</strong>")[1]
        .split("Kinesis Producer")[0]
    )  # the security figure listed what the text lists: no box, no diagram


@pytest.mark.django_db
def test_loading_twice_places_nothing_again(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    load_content(content)
    report = load_content(content)
    assert "topics placed in navigation" not in report.counts
    assert "search entries written" not in report.counts


NOTES_TEXT = """# Top
## AIM
text ![](images/a.png)
### EC2
more
"""


def write(tmp_path: Path, display: str) -> Path:
    write_guide(tmp_path)
    (tmp_path / "notes").mkdir(exist_ok=True)
    (tmp_path / "notes" / "n.md").write_text(NOTES_TEXT, encoding="utf-8")
    (tmp_path / "notes-display.md").write_text(display, encoding="utf-8")
    return tmp_path


def test_a_small_display_file_renames_moves_and_draws(tmp_path):
    bundle = collect(
        write(
            tmp_path,
            "# comment\n\n## aim\ntitle: IAM\nimage: images/a.png -> efs.svg | A file system shared by three zones\n\n"
            "## ec2\nparent: top\n",
        )
    )
    placements = bundle.placements
    assert placements["aim"].title == "IAM" and placements["aim"].parent == "top"
    assert placements["ec2"].parent == "top" and placements["ec2"].level == 2
    assert [slug for slug, _p in sorted(placements.items(), key=lambda i: i[1].order)] == [
        "top",
        "aim",
        "ec2",
    ]
    aim = next(draft for draft in bundle.topics if draft.slug == "aim")
    assert (
        '<img alt="A file system shared by three zones" class="diagram" loading="lazy" src="/static/img/diagrams/efs.svg">'
        in aim.body_html
    )
    assert aim.body == "text ![](images/a.png)\n"  # the notes, verbatim


def test_a_figure_shown_as_none_leaves_no_box(tmp_path):
    bundle = collect(write(tmp_path, "## aim\nimage: images/a.png -> none\n"))
    aim = next(draft for draft in bundle.topics if draft.slug == "aim")
    assert "missing-image" not in aim.body_html and "<img" not in aim.body_html
    assert "text" in aim.body_text


@pytest.mark.parametrize(
    ("display", "message"),
    [
        ("## iam\ntitle: IAM\n", r"notes-display\.md:1: unknown topic slug 'iam'"),
        ("## aim\nparent: nowhere\n", r"notes-display\.md:1: unknown parent slug 'nowhere'"),
        ("## aim\nparent: aim\n", r"notes-display\.md:1: a topic cannot be its own parent"),
        ("## top\nparent: ec2\n", r"notes-display\.md:1: the parents of 'top' make a loop"),
        ("## aim\ntitel: IAM\n", r"notes-display\.md:2: unknown field `titel:`"),
        ("## aim\ntitle:\n", r"notes-display\.md:2: `title:` is empty"),
        ("## aim\ntitle: IAM\n\nsome prose\n", r"notes-display\.md:4: expected `title:`"),
        ("## aim\nimage: images/b.png -> none\n", r"notes-display\.md:2: the section 'aim' shows no image 'images/b.png'"),
        ("## aim\nimage: images/a.png -> nope.svg | text\n", r"notes-display\.md:2: no diagram 'nope.svg'"),
        ("## aim\nimage: images/a.png -> efs.svg\n", r"notes-display\.md:2: a diagram needs its text alternative"),
        ("## aim\nimage: images/a.png -> Efs.png | x\n", r"notes-display\.md:2: a diagram is a lowercase `.svg` file name"),
        ("## aim\nimage: images/a.png\n", r"notes-display\.md:2: write `image:"),
        ("## aim\nimage: images/a.png -> none\nimage: images/a.png -> none\n", r"notes-display\.md:3: image 'images/a.png' given twice"),
        ("## aim\n\n## aim\n", r"notes-display\.md:3: duplicate id 'aim'"),
        ("stray text\n## aim\n", r"notes-display\.md:1: text before the first `##` item"),
    ],
)  # fmt: skip
def test_display_file_errors_name_file_and_line(tmp_path, display, message):
    with pytest.raises(ContentError, match=message):
        collect(write(tmp_path, display))


def test_without_a_display_file_navigation_shows_the_notes_as_written(tmp_path):
    write(tmp_path, "")
    (tmp_path / "notes-display.md").unlink()
    bundle = collect(tmp_path)
    assert bundle.placements["ec2"].parent == "aim" and bundle.placements["ec2"].title == "EC2"
    aim = next(draft for draft in bundle.topics if draft.slug == "aim")
    assert "missing-image" in aim.body_html  # no decision made: the placeholder stays


def test_a_topic_can_go_to_the_top_of_the_tree(tmp_path):
    placements = collect(write(tmp_path, "## ec2\nparent: -\n")).placements
    assert placements["ec2"].parent is None and placements["ec2"].level == 1
    assert [slug for slug, _p in sorted(placements.items(), key=lambda i: i[1].order)] == [
        "top",
        "aim",
        "ec2",
    ]
