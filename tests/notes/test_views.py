import pytest
from django.urls import reverse

from studyapp.notes import pagecache
from studyapp.notes.models import Topic, TopicRead

pytestmark = pytest.mark.django_db


def test_home_lists_every_topic_with_its_size(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    for topic in Topic.objects.active().filter(kind=Topic.Kind.NOTES):
        assert topic.get_absolute_url() in body
    assert "/guide/" in body  # the whole exam is one click away
    assert "words</span>" in body
    assert "Start with" in body


def test_topic_page_shows_breadcrumbs_toc_and_neighbours(client, django_assert_max_num_queries):
    topic = Topic.objects.get(slug="7-aws-fundamentals-elb-asg")
    pagecache.content_version()  # known to a running server; read once a minute at most
    with django_assert_max_num_queries(10):
        response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 id="topic-title">AWS Fundamentals: ELB + ASG</h1>' in body
    assert "(in the notes: 7 - AWS Fundamentals : ELB + ASG)" in body
    assert 'aria-current="page"' in body
    assert '<a href="#application-load-balancer-alb">Application Load Balancer (ALB)</a>' in body
    assert 'rel="prev" href="/notes/efs-performance-storage-classess/"' in body
    assert 'rel="next" href="/notes/19-aws-monitoring/"' in body


def test_topic_page_query_count_does_not_depend_on_depth(client, django_assert_max_num_queries):
    pagecache.content_version()
    with django_assert_max_num_queries(10):
        assert client.get("/notes/iam-policies/").status_code == 200


def test_topic_page_shows_errata_beside_the_text(client):
    body = client.get("/notes/sqs/").content.decode()
    assert 'class="erratum-quote"' in body
    assert "correction" in body.lower()


def test_unknown_topic_is_a_clear_404(client):
    response = client.get("/notes/no-such-topic/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unknown_url_uses_the_404_page(client):
    response = client.get("/nowhere/at/all/")
    assert response.status_code == 404
    assert "There is no page at this address" in response.content.decode()


def test_search_finds_topics_and_highlights_the_snippet(client):
    response = client.get(reverse("notes:search"), {"q": "visibility timeout"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "/notes/sqs-message-visibility-timeout/" in body
    assert "<mark>visibility</mark>" in body.lower() or "<mark>Visibility</mark>" in body


def test_search_is_case_insensitive_and_needs_every_word(client):
    body = client.get("/search/", {"q": "KINESIS shard"}).content.decode()
    assert "/notes/kinesis-data-stream/" in body
    assert "/notes/sqs-long-polling/" not in body


def test_search_escapes_the_query(client):
    body = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_search_with_htmx_returns_only_the_results_fragment(client):
    response = client.get("/search/", {"q": "FIFO"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="results"')
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_empty_search_shows_the_form_only(client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "topics match" not in response.content.decode()


def test_search_rejects_post(client):
    assert client.post("/search/", {"q": "x"}).status_code == 405


def test_reading_a_topic_suggests_the_next_one_to_a_learner(client, learner):
    client.force_login(learner)
    client.get("/notes/sqs-delay-queue/")
    assert TopicRead.objects.filter(user=learner, topic__slug="sqs-delay-queue").exists()
    body = client.get("/").content.decode()
    assert "You last read “SQS Delay queue”." in body
    assert "Continue with" in body and "/notes/sqs-long-polling/" in body


def test_reading_progress_is_per_learner(client, learner, other_learner):
    client.force_login(learner)
    client.get("/notes/sqs-delay-queue/")
    client.force_login(other_learner)
    body = client.get("/").content.decode()
    assert "You last read" not in body


def test_missing_note_image_is_drawn_again_as_a_diagram(client):
    body = client.get("/notes/ebs-elastic-block-store/").content.decode()
    assert 'class="missing-image"' not in body
    assert 'class="diagram" loading="lazy" src="/static/img/diagrams/ebs-volume.svg"' in body


def test_image_view_refuses_paths_outside_the_notes(client):
    assert client.get("/notes/images/../../pyproject.toml").status_code == 404
    assert client.get("/notes/images/aws-developer-notes.md").status_code == 404


def test_language_switch_translates_the_interface(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="es">' in body
    assert "Los apuntes" in body
