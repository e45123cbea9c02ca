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
