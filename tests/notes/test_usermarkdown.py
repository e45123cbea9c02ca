"""Learners' and instructors' Markdown: CommonMark, raw HTML as text, nothing lost."""

from hypothesis import given
from hypothesis import settings as hypothesis_settings

from studyapp.authoring.fidelity import fidelity_problems
from studyapp.notes.usermarkdown import render_user_markdown
from tests.markdown_documents import DOCUMENTS


def test_raw_html_is_shown_as_text():
    html = render_user_markdown('Before <script>alert("x")</script> <b>after</b>')
    assert "<script" not in html and "<b>" not in html
    assert '&lt;script&gt;alert("x")&lt;/script&gt;' in html.replace("&quot;", '"')


def test_code_keeps_less_than_signs_and_indentation():
    html = render_user_markdown("```\nif a < b:\n    pass\n```\n\nand `x<y`")
    assert "<pre><code>if a &lt; b:\n    pass\n</code></pre>" in html
    assert "<code>x&lt;y</code>" in html


def test_script_links_are_neutralised():
    html = render_user_markdown("[click](javascript:alert(1))")
    assert "javascript:" not in html


def test_the_private_character_used_for_escaping_cannot_be_smuggled_in():
    assert "&lt;" not in render_user_markdown("\ue000b\ue000")


def test_two_space_nested_lists_nest():
    html = render_user_markdown("- a\n  - b\n")
    assert " ".join(html.split()) == "<ul> <li>a <ul> <li>b</li> </ul> </li> </ul>"


@hypothesis_settings(max_examples=300, deadline=None)
@given(DOCUMENTS)
def test_generated_markdown_renders_as_written(source):
    assert fidelity_problems(source, render_user_markdown(source)) == []
