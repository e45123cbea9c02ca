"""What the author wrote is what the learner reads, for every item and for generated Markdown."""

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings

from studyapp.authoring.blocks import ContentError
from studyapp.authoring.fidelity import fidelity_problems
from studyapp.authoring.loader import collect
from studyapp.authoring.rendering_check import rendered_items
from studyapp.notes.markdown import render_markdown
from tests.markdown_documents import DOCUMENTS


def test_a_year_turned_into_a_list_number_is_caught():
    source = "Deleted starting January 27,\n2026. Use Flink instead.\n"
    old_rendering = (
        '<p>Deleted starting January 27,</p><ol start="2026"><li>Use Flink instead.</li></ol>'
    )
    assert fidelity_problems(source, old_rendering) == [
        "text lost or out of order: '2026' (after 'Deleted starting January 27')"
    ]
    assert fidelity_problems(source, render_markdown(source).html) == []


def test_code_rendered_as_prose_is_caught():
    source = "Handler:\n\n    def handler(event, context):\n        return 1\n"
    old_rendering = "<p>Handler:</p><p>def handler(event, context):\nreturn 1</p>"
    assert fidelity_problems(source, old_rendering) == [
        "code block lost its layout: 'def handler(event, context):'"
    ]
    assert fidelity_problems(source, render_markdown(source).html) == []


def test_a_lost_link_target_and_reordered_words_are_caught():
    source = "See [the guide](https://docs.aws.amazon.com/x.html) first, then deploy."
    assert fidelity_problems(source, "<p>See the guide first, then deploy.</p>") == [
        "link target lost: https://docs.aws.amazon.com/x.html"
    ]
    swapped = (
        '<p>See <a href="https://docs.aws.amazon.com/x.html">the guide</a> deploy, then first.</p>'
    )
    assert fidelity_problems(source, swapped)[0].startswith("text lost or out of order: 'then'")


def test_extra_text_in_the_page_is_allowed():
    html = "<p>Limit <mark>256 KB</mark><a>*</a></p><aside>Now 1 MiB.</aside>"
    assert fidelity_problems("Limit 256 KB", html) == []


def test_every_loaded_item_renders_as_written():
    bundle = collect(settings.CONTENT_DIR)
    pieces = list(rendered_items(bundle))
    problems = [
        f"{path}:{line} {what}: {problem}"
        for path, line, what, source, html in pieces
        for problem in fidelity_problems(source, html)
    ]
    assert problems == []
    kinds = {what.split()[0] for _path, _line, what, _source, _html in pieces}
    assert kinds == {"topic", "erratum", "card", "question"}
    assert len(pieces) == bundle.rendering_checked > 2500


def test_validate_content_reports_an_item_that_renders_wrong_with_file_and_line(
    tmp_path, monkeypatch
):
    import shutil

    from studyapp.authoring import loader

    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    page = content / "guide" / "pages" / "zz-broken.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        "title: Broken\ntask: 1.1\n\n## Section\n\nKeep this sentence whole.\n\n"
        "Source: <https://docs.aws.amazon.com/a.html>\n",
        encoding="utf-8",
    )
    real = loader.render_markdown

    def losing_a_word(text, **options):
        rendered = real(text, **options)
        rendered.html = rendered.html.replace("whole.", "")
        return rendered

    monkeypatch.setattr(loader, "render_markdown", losing_a_word)
    with pytest.raises(
        ContentError,
        match=r"zz-broken\.md:4: topic 'zz-broken' renders wrong: "
        r"text lost or out of order: 'whole'",
    ):
        collect(content)


@hypothesis_settings(max_examples=300, deadline=None)
@given(DOCUMENTS)
def test_generated_markdown_renders_as_written(source):
    assert fidelity_problems(source, render_markdown(source).html) == []
