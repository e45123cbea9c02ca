import re

from studyapp.notes.markdown import render_markdown


def test_two_space_nested_lists_render_as_nested_lists():
    html = render_markdown("- Reserved\n  - 1 year\n    - no upfront\n  - 3 years\n").html
    assert html.count("<ul>") == 3
    assert "<li>Reserved<ul>" in html.replace("\n", "")
    assert "<li>1 year<ul><li>no upfront</li></ul></li>" in html.replace("\n", "")


def test_four_and_three_space_indentation_nest_the_same_way():
    four = render_markdown("- a\n    - b\n").html
    three = render_markdown("-  a\n   -  b\n").html
    assert (
        four.replace("\n", "")
        == three.replace("\n", "")
        == "<ul><li>a<ul><li>b</li></ul></li></ul>"
    )


def test_list_right_after_a_paragraph_line_is_a_list():
    html = render_markdown("Consists of\n- Version\n- Statement\n").html
    assert "<p>Consists of</p>" in html
    assert "<li>Version</li>" in html


def test_fenced_json_and_bash_are_highlighted():
    html = render_markdown(
        '```JSON\n{"Effect": "Allow"}\n```\n\n```bash\naws lambda list-functions\n```\n'
    ).html
    assert html.count('<div class="highlight">') == 2
    assert '<span class="nt">"Effect"</span>' in html  # a JSON key token
    assert 'lambda<span class="w"> </span>list-functions' in html  # tokenised by the bash lexer


def test_bare_urls_become_links():
    html = render_markdown("See https://aws.amazon.com/ec2/instance-types/ for types.").html
    assert '<a href="https://aws.amazon.com/ec2/instance-types/"' in html


def test_raw_html_is_shown_as_text_not_run():
    html = render_markdown(
        'Before <script>alert("x")</script> after\n\n<script>\nalert(1)\n</script>\n'
    ).html
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_javascript_links_are_removed():
    html = render_markdown("[click](javascript:alert(1))").html
    assert "javascript:" not in html


def test_missing_image_becomes_a_labelled_placeholder():
    rendered = render_markdown("![EBS volume](images/ebs-volume.png)")
    assert "<img" not in rendered.html
    assert 'class="missing-image"' in rendered.html
    assert 'aria-label="Image not available: EBS volume"' in rendered.html
    assert "ebs-volume.png" in rendered.html
    assert rendered.missing_images == ["images/ebs-volume.png"]


def test_existing_image_is_served_from_the_notes_folder():
    rendered = render_markdown(
        "![](images/a.png)",
        image_exists=lambda path: path == "images/a.png",
        image_url=lambda path: f"/notes/images/{path}",
    )
    assert '<img alt="" loading="lazy" src="/notes/images/images/a.png">' in rendered.html


def test_image_path_escaping_the_notes_folder_is_never_resolved():
    rendered = render_markdown("![](../../settings.py)", image_exists=lambda path: True)
    assert "<img" not in rendered.html
    assert "missing-image" in rendered.html


def test_bold_bullets_with_children_become_toc_anchors():
    rendered = render_markdown("- **Application Load Balancer (ALB)**\n  - Layer 7\n- plain\n")
    assert rendered.toc == [
        {
            "id": "application-load-balancer-alb",
            "title": "Application Load Balancer (ALB)",
            "depth": 0,
        }
    ]
    assert 'id="application-load-balancer-alb"' in rendered.html


def test_bold_sentences_are_emphasis_not_subheadings():
    rendered = render_markdown(
        "- **If you need a high performance hardware disk, use EC2 instance store**\n"
    )
    assert rendered.toc == []


def test_duplicate_subheading_titles_get_distinct_anchors():
    rendered = render_markdown("- **Targets**\n  - a\n- **Targets**\n  - b\n")
    assert [entry["id"] for entry in rendered.toc] == ["targets", "targets-2"]


def test_a_numbered_line_inside_a_paragraph_is_text_not_a_list():
    # "2026." wrapped to the start of a line: CommonMark lets only `1.` interrupt a paragraph.
    html = render_markdown("Applications are deleted starting January 27,\n2026. Use Flink.\n").html
    assert "<ol" not in html
    assert "January 27,\n2026. Use Flink." in html


def test_a_list_starting_at_one_may_follow_a_paragraph_line():
    html = render_markdown("Steps:\n1. Create\n2. Deploy\n").html.replace("\n", "")
    assert "<p>Steps:</p><ol><li>Create</li><li>Deploy</li></ol>" in html


def test_a_numbered_line_inside_a_list_item_paragraph_stays_in_the_item():
    html = render_markdown("- The runtime was deprecated on June 30,\n  2025. Move on.\n").html
    assert "<ol" not in html
    assert "June 30, 2025. Move on." in " ".join(html.split())


def test_siblings_of_an_ordered_list_continue_it():
    html = " ".join(render_markdown("1. one\n2. two\n   3. not a sibling\n").html.split())
    assert html == "<ol> <li>one</li> <li>two 3. not a sibling</li> </ol>"


def test_an_indented_code_block_outside_lists_keeps_its_whitespace():
    source = 'Handler:\n\n    def handler(event, context):\n        return {"ok": True}\n\nDone.\n'
    html = render_markdown(source).html
    assert '<code>def handler(event, context):\n    return {"ok": True}\n</code></pre>' in html


def test_an_indented_code_block_inside_a_list_item_keeps_its_whitespace():
    html = render_markdown("- Step:\n\n      x = 1\n          y = 2\n").html
    assert "<code>x = 1\n    y = 2\n</code></pre>" in html


def test_fenced_code_keeps_its_whitespace_in_and_out_of_lists():
    fenced = "```python\nif x:\n    y()\n```\n"
    nested = "- a\n  ```python\n  if x:\n      y()\n  ```\n"
    for html in (render_markdown(fenced).html, render_markdown(nested).html):
        code = re.sub(r"<[^>]+>", "", html[html.index("<code>") : html.index("</code>")])
        assert code == "if x:\n    y()\n"


def test_highlights_mark_text_nodes_never_attributes():
    from studyapp.notes.markdown import Highlight

    source = "- See [docs](https://example.com/Limitation-page)\n- Limitation of 256KB\n"
    highlight = Highlight(
        key="e1", quote="Limitation", label="Outdated", note_html="<aside>n</aside>"
    )
    rendered = render_markdown(source, highlights=[highlight])
    assert 'href="https://example.com/Limitation-page"' in rendered.html
    assert (
        '<li><mark class="erratum-quote" id="erratum-e1-quote">Limitation</mark>' in rendered.html
    )
    assert rendered.unplaced == []


def test_a_highlight_inside_a_link_gets_no_nested_link():
    from studyapp.notes.markdown import Highlight

    highlight = Highlight(key="e2", quote="the docs", label="Wrong", note_html="<aside>n</aside>")
    html = render_markdown(
        "Read [the docs](https://example.com/) now.", highlights=[highlight]
    ).html
    assert '<a href="https://example.com/" rel="noopener noreferrer"><mark' in html
    assert "erratum-ref" not in html
    assert html.index("</p>") < html.index("<aside>")


def test_a_quote_that_is_not_in_the_text_is_reported_unplaced():
    from studyapp.notes.markdown import Highlight

    highlight = Highlight(key="e3", quote="nowhere", label="Wrong", note_html="<aside>n</aside>")
    assert render_markdown("some text", highlights=[highlight]).unplaced == [highlight]


def test_headings_of_guide_pages_are_anchors_in_the_toc():
    rendered = render_markdown(
        "## Keys and items\n\ntext\n\n### Item size\n\nmore\n\n## Keys and items\n"
    )
    assert rendered.toc == [
        {"id": "keys-and-items", "title": "Keys and items", "depth": 0},
        {"id": "item-size", "title": "Item size", "depth": 1},
        {"id": "keys-and-items-2", "title": "Keys and items", "depth": 0},
    ]
    assert '<h2 id="keys-and-items">' in rendered.html


def test_the_reused_renderer_carries_nothing_from_one_call_to_the_next():
    first = render_markdown("- **Targets**\n  - a\n\n![x](images/x.png)\n")
    second = render_markdown("- **Targets**\n  - b\n")
    assert second.toc == first.toc == [{"id": "targets", "title": "Targets", "depth": 0}]
    assert second.missing_images == []
