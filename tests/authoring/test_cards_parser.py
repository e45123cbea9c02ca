from pathlib import Path

import pytest

from studyapp.authoring.blocks import ContentError
from studyapp.authoring.cards import check_references, parse_card_file

BASIC = """### sqs-visibility-default
kind: basic
topic: sqs-message-visibility-timeout
task: 1.1
tags: sqs  visibility
source: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html

What is the default visibility timeout?
---
**30 seconds**
"""


def parse(text: str):
    return parse_card_file(Path("cards/test.md"), text)


def test_basic_card_has_front_back_and_metadata():
    (card,) = parse(BASIC)
    assert card.key == card.note_key == "sqs-visibility-default"
    assert card.kind == "basic"
    assert card.topic_slug == "sqs-message-visibility-timeout"
    assert card.tags == "sqs visibility"
    assert card.front_text == "What is the default visibility timeout?"
    assert card.back_html == "<p><strong>30 seconds</strong></p>"
    assert card.sources == [
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html"
    ]


def test_reversed_note_gives_two_cards():
    cards = parse(BASIC.replace("kind: basic", "kind: reversed"))
    assert [card.key for card in cards] == [
        "sqs-visibility-default",
        "sqs-visibility-default-reverse",
    ]
    assert cards[1].front_text == cards[0].back_text
    assert cards[1].back_text == cards[0].front_text


def test_cloze_note_gives_one_card_per_deletion():
    text = BASIC.replace("kind: basic", "kind: cloze").replace(
        "What is the default visibility timeout?\n---\n**30 seconds**\n",
        "The default is {{c1::30 seconds}} and the maximum is {{c2::12 hours::a duration}}.\n---\nSet per queue.\n",
    )
    first, second = parse(text)
    assert first.key == "sqs-visibility-default-c1"
    assert first.front_text == "The default is **[…]** and the maximum is 12 hours."
    assert (
        first.back_text
        == "The default is **30 seconds** and the maximum is 12 hours.\n\nSet per queue."
    )
    assert second.key == "sqs-visibility-default-c2"
    assert second.front_text == "The default is 30 seconds and the maximum is **[a duration]**."
    assert "<strong>12 hours</strong>" in second.back_html


def test_card_html_is_sanitised():
    (card,) = parse(BASIC.replace("What is", "<script>alert(1)</script> What is"))
    assert "<script>" not in card.front_html
    assert "&lt;script&gt;" in card.front_html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BASIC.replace("kind: basic\n", ""), r"test\.md:1: missing field `kind:`"),
        (BASIC.replace("kind: basic", "kind: flash"), r"test\.md:2: kind must be one of"),
        (
            BASIC.replace("---\n", ""),
            r"test\.md:1: a basic or reversed card needs exactly one `---`",
        ),
        (BASIC.replace("**30 seconds**\n", ""), r"test\.md:1: both the front and the back"),
        (
            BASIC.replace("kind: basic", "kind: cloze"),
            r"test\.md:1: a cloze card needs at least one deletion",
        ),
        (BASIC.replace("source: https", "source: ftp"), r"test\.md:6: source must be an https URL"),
        (BASIC + "\n" + BASIC, r"test\.md:12: duplicate id 'sqs-visibility-default'"),
        ("task: 1.1\ntask: 1.2\n" + BASIC, r"test\.md:2: front matter `task:` given twice"),
        ("kind: basic\n" + BASIC, r"test\.md:1: unknown front matter `kind:`"),
        ("stray text\n" + BASIC, r"test\.md:1: text before the first `###` item"),
    ],
)
def test_card_errors_name_file_and_line(text, message):
    with pytest.raises(ContentError, match=message):
        parse(text)


def test_unknown_topic_task_and_erratum_are_errors():
    (card,) = parse(BASIC)
    topics, tasks = {"sqs-message-visibility-timeout"}, {"1.1"}
    with pytest.raises(ContentError, match=r"test\.md:1: unknown topic slug"):
        check_references([card], topics={"sqs"}, errata=set(), tasks=tasks)
    with pytest.raises(ContentError, match=r"test\.md:1: unknown task '1.1'"):
        check_references([card], topics=topics, errata=set(), tasks={"1.2"})
    card.erratum_key = "nope"
    with pytest.raises(ContentError, match=r"test\.md:1: unknown erratum 'nope'"):
        check_references([card], topics=topics, errata=set(), tasks=tasks)


def test_file_front_matter_sets_task_and_topic_unless_a_card_gives_its_own():
    body = BASIC.replace("topic: sqs-message-visibility-timeout\ntask: 1.1\n", "")
    text = (
        "task: 4.3\ntopic: sqs\n\n"
        + body
        + "\n"
        + body.replace("### sqs-visibility-default\n", "### other-card\ntask: 1.2\n")
    )
    first, second = parse(text)
    assert (first.task_code, first.topic_slug) == ("4.3", "sqs")
    assert (second.task_code, second.topic_slug) == ("1.2", "sqs")


def test_a_card_without_a_task_is_an_error():
    with pytest.raises(ContentError, match=r"test\.md:1: missing field `task:`"):
        parse(BASIC.replace("task: 1.1\n", ""))


def test_a_card_id_used_in_two_files_is_an_error(tmp_path):
    import shutil

    from django.conf import settings

    from studyapp.authoring.loader import collect

    shutil.copytree(settings.CONTENT_DIR / "notes", tmp_path / "notes")
    shutil.copytree(settings.CONTENT_DIR / "guide", tmp_path / "guide")
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.md").write_text(BASIC, encoding="utf-8")
    (tmp_path / "cards" / "b.md").write_text(BASIC, encoding="utf-8")
    with pytest.raises(
        ContentError,
        match=r"b\.md:1: duplicate card id 'sqs-visibility-default' \(first at a\.md:1\)",
    ):
        collect(tmp_path)
