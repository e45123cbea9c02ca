from pathlib import Path

import pytest
from django.conf import settings

from studyapp.authoring.blocks import ContentError
from studyapp.authoring.errata import parse_errata
from studyapp.authoring.loader import collect
from studyapp.notes.models import Erratum, Topic
from tests.authoring.support import write_guide

GOOD = """## sqs-message-size
topic: sqs
quote: Limitation of 256KB per message sent
status: outdated
source: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html

The maximum message size is 1 MiB.
"""


def write_content(tmp_path: Path, errata: str) -> Path:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "n.md").write_text(
        "# SQS\n- Attributes\n  - Limitation of 256KB per message sent\n  - Retention\n",
        encoding="utf-8",
    )
    (tmp_path / "errata.md").write_text(errata, encoding="utf-8")
    write_guide(tmp_path)
    return tmp_path


def test_erratum_is_shown_right_after_the_item_it_corrects(tmp_path):
    bundle = collect(write_content(tmp_path, GOOD))
    html = bundle.topics[0].body_html.replace("\n", "")
    quote = html.index(
        '<mark class="erratum-quote" id="erratum-sqs-message-size-quote">Limitation of 256KB per message sent</mark>'
    )
    aside = html.index('<aside class="erratum erratum-outdated" id="erratum-sqs-message-size"')
    retention = html.index("<li>Retention</li>")
    assert quote < aside < retention
    assert "The maximum message size is 1 MiB." in html
    assert (
        'href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html"'
        in html
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace("status: outdated", "status: dubious"),
            r"errata\.md:4: status must be one of",
        ),
        (GOOD.replace("topic: sqs\n", ""), r"errata\.md:1: missing field `topic:`"),
        (
            GOOD.replace("source: https", "source: http"),
            r"errata\.md:1: source must be an https URL",
        ),
        (
            GOOD.replace("\nThe maximum message size is 1 MiB.\n", ""),
            r"errata\.md:1: the corrected fact",
        ),
        (GOOD.replace("## sqs-message-size", "## SQS size"), r"errata\.md:1: id 'SQS size'"),
        (GOOD + "\n" + GOOD, r"errata\.md:9: duplicate id 'sqs-message-size'"),
        (
            GOOD.replace("status: outdated", "severity: high"),
            r"errata\.md:4: unknown field `severity:`",
        ),
    ],
)
def test_bad_errata_are_reported_with_file_and_line(tmp_path, text, message):
    with pytest.raises(ContentError, match=message):
        parse_errata(tmp_path / "errata.md", text)


def test_quote_that_is_not_in_the_topic_is_an_error_at_its_line(tmp_path):
    content = write_content(tmp_path, GOOD.replace("256KB per message", "256 KB per message"))
    with pytest.raises(ContentError, match=r"errata\.md:3: quote not found in topic 'sqs'"):
        collect(content)


def test_unknown_topic_is_an_error(tmp_path):
    content = write_content(tmp_path, GOOD.replace("topic: sqs", "topic: sqs-nope"))
    with pytest.raises(ContentError, match=r"errata\.md:1: unknown topic slug 'sqs-nope'"):
        collect(content)


@pytest.mark.django_db
def test_every_erratum_of_the_real_file_is_placed_beside_its_quote():
    errata = list(Erratum.objects.select_related("topic"))
    text = (Path(settings.CONTENT_DIR) / "errata.md").read_text(encoding="utf-8")
    assert len(errata) == text.count("\n## ") + text.startswith("## ")
    assert len(errata) >= 20
    for erratum in errata:
        assert f'id="erratum-{erratum.key}-quote"' in erratum.topic.body_html
        assert f'id="erratum-{erratum.key}"' in erratum.topic.body_html
        assert erratum.sources and all(url.startswith("https://") for url in erratum.sources)


@pytest.mark.django_db
def test_the_notes_sqs_size_claim_is_corrected_to_1_mib():
    sqs = Topic.objects.get(slug="sqs")
    assert "erratum-quote" in sqs.body_html
    assert "1 MiB" in sqs.body_html or "1,048,576" in sqs.body_html
