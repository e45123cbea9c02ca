"""One search over notes, guide pages, corrections, cards and questions: ranked, forgiving."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from studyapp.authoring.search_index import search_documents, store_search_index
from studyapp.cards.models import Card
from studyapp.notes import search
from studyapp.notes.models import SearchEntry, Topic
from studyapp.quizzes.models import Question

pytestmark = pytest.mark.django_db


def urls(query: str, **kwargs) -> list[str]:
    return [result.url for result in search.search(query, **kwargs).results]


def kinds(query: str) -> set[str]:
    return {result.kind for result in search.search(query).results}


def test_instance_profile_finds_the_guide_pages_cards_and_questions_about_it():
    found = urls("instance profile")
    assert "/notes/sts-and-role-assumption/" in found
    assert "/notes/debugging-deployments-and-code/" in found
    assert "/cards/iam-instance-profile-def/" in found
    assert "/cards/iam-instance-profile-one-role/" in found
    assert kinds("instance profile") >= {"guide", "card", "question"}
    # Pages that hold the phrase come before those that only hold both words apart.
    assert found.index("/notes/debugging-deployments-and-code/") < found.index(
        "/notes/lambda-performance-tuning/"
    )


def test_explicit_deny_finds_the_authorization_pages_and_the_card():
    found = urls("explicit deny")
    assert found[0] in {
        "/notes/application-authorization/",
        "/notes/http-errors-and-sdk-exceptions/",
    }
    assert "/cards/iam-explicit-deny-wins/" in found
    if "/cards/iam-implicit-deny/" in found:  # "explicitly" in its answer, not a typo
        assert found.index("/cards/iam-explicit-deny-wins/") < found.index(
            "/cards/iam-implicit-deny/"
        )


@pytest.mark.parametrize(
    "query", ["ParallelizationFactor", "parallelizationfactor", "parallelization factor"]
)
def test_parallelization_factor_finds_the_event_source_mapping_page_and_cards(query):
    found = urls(query)
    assert "/notes/lambda-event-source-mappings/" in found[:3]
    assert "/cards/kin-lambda-parallelization-c2/" in found[:3]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("cloudwatch", "cloudwath"),  # the notes' heading is "CloudWath"
        ("asynchronous invocations", "lambda-asynchronoues-invocations"),
        ("storage classes", "efs-performance-storage-classess"),
        ("responsibility", "ec2-instance-store"),  # "responsability" in the notes
        ("decouple application", "sqs-to-decoupling-aplication-tier"),
    ],
)
def test_the_right_spelling_finds_the_notes_misspelled_sections(query, slug):
    notes = [result.url for result in search.search(query).results if result.kind == "notes"]
    assert notes[0] == f"/notes/{slug}/"


@pytest.mark.parametrize(
    ("query", "url"),
    [
        ("visibilty timeout", "/notes/sqs-message-visibility-timeout/"),
        ("cloudwath metric dimensions", "/notes/cloudwath/"),
        ("aplication load balancer", "/notes/7-aws-fundamentals-elb-asg/"),
    ],
)
def test_a_misspelled_query_still_finds_the_page(query, url):
    assert url in urls(query)[:5]


def test_common_words_do_not_pull_in_other_words_spelled_alike():
    spellings = search.similar_words(["asynchronous", "cloudwatch", "letter"])
    assert "synchronous" not in spellings["asynchronous"]
    assert "asynchronoues" in spellings["asynchronous"]  # the notes' own misspelling
    assert "cloudwath" in spellings["cloudwatch"]
    assert spellings["letter"] == ["letter"]  # not "better"


def test_a_word_being_typed_finds_the_words_it_starts():
    outcome = search.search("kines")
    assert "/notes/kinesis/" in [result.url for result in outcome.results][:5]


def test_results_say_what_they_are_and_link_to_it(client):
    body = client.get(reverse("notes:search"), {"q": "visibility timeout"}).content.decode()
    assert re.search(
        r'kind-badge">Notes</span>\s*<a href="/notes/sqs-message-visibility-timeout/"', body
    )
    assert re.search(r'kind-badge">Correction</span>\s*<a href="/notes/[\w-]+/#erratum-', body)
    assert re.search(r'kind-badge">Card</span>\s*<a href="/cards/[\w-]+/"', body)
    assert re.search(r'kind-badge">Question</span>\s*<a href="/quiz/practice/\?topic=[\w-]+"', body)
    body = client.get(reverse("notes:search"), {"q": "dynamodb partition key"}).content.decode()
    assert re.search(r'kind-badge">Study guide page</span>\s*<a href="/notes/dynamodb-', body)


def test_a_card_result_opens_the_card(client, learner):
    client.force_login(learner)
    outcome = search.search("instance profile")
    card = next(result for result in outcome.results if result.kind == "card")
    response = client.get(card.url)
    assert response.status_code == 200
    assert response.context["card"].key in card.url


def test_a_question_result_opens_practice_on_its_topic(client, learner):
    question = Question.objects.get(key="q-iam-instance-profile-single-role")
    outcome = search.search("instance profile ReportsRole")
    result = next(result for result in outcome.results if result.kind == "question")
    assert result.url == f"/quiz/practice/?topic={question.topic.slug}"
    client.force_login(learner)
    assert client.get(result.url).status_code == 200


def test_question_entries_hold_only_the_stem_never_the_options_or_explanation():
    entries = {entry.key: entry for entry in SearchEntry.objects.filter(kind="question")}
    questions = Question.objects.active().filter(owner__isnull=True).prefetch_related("choices")
    assert len(entries) == questions.count()
    for question in questions[:200]:
        entry = entries[question.key]
        assert entry.shown_text == entry.text  # nothing is matched that could not be shown
        for choice in question.choices.all():
            if choice.correct and len(choice.text) > 25 and choice.text not in question.stem_text:
                assert choice.text not in entry.text, question.key
        assert question.explanation_text[:60] not in entry.text


def test_a_question_snippet_never_shows_the_answer(client):
    question = Question.objects.active().filter(owner__isnull=True, kind="single").first()
    right = question.choices.get(correct=True)
    words = " ".join(search.words(question.stem_text)[:6])
    body = client.get(reverse("notes:search"), {"q": words}).content.decode()
    assert right.text_html not in body
    assert question.explanation_html[:80] not in body


def test_cards_show_their_front_only():
    card = Card.objects.get(key="kin-lambda-parallelization-c1")
    entry = SearchEntry.objects.get(kind="card", key=card.key)
    assert "[…]" in entry.shown_text and "ParallelizationFactor" not in entry.shown_text
    assert "ParallelizationFactor" in entry.text  # found by its answer, shown by its question


def test_a_learners_own_cards_are_not_in_the_shared_index(learner):
    Card.objects.create(
        key="mine-1",
        note_key="mine-1",
        kind="basic",
        topic=Topic.objects.get(slug="sqs"),
        owner=learner,
        front_text="Zyzzyvaquux is my private mnemonic",
        back_text="Yes",
        front_html="<p>Zyzzyvaquux is my private mnemonic</p>",
        back_html="<p>Yes</p>",
    )
    store_search_index()
    assert search.search("zyzzyvaquux").results == []


def test_results_are_bounded_and_the_kind_filter_keeps_one_kind(client):
    outcome = search.search("lambda")
    assert len(outcome.results) == search.MAX_RESULTS
    assert set(outcome.by_kind) >= {"notes", "guide", "card", "question"}
    only_questions = search.search("lambda", kind="question")
    assert {result.kind for result in only_questions.results} == {"question"}
    body = client.get(reverse("notes:search"), {"q": "lambda", "kind": "card"}).content.decode()
    assert 'data-kind="question"' not in body and 'data-kind="card"' in body
    assert 'href="?q=lambda&amp;kind=question"' in body
    assert search.search("lambda", kind="nonsense").results  # an unknown kind is ignored


def test_query_count_does_not_depend_on_the_size_of_the_bank(django_assert_max_num_queries):
    def queries(query: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            search.search(query)
        return len(captured.captured_queries)

    asked = ["instance profile", "cloudwatch alarms", "kinesis shard", "visibilty timeout"]
    before = [queries(query) for query in asked]
    extra = [
        search.SearchDocument(
            kind="card",
            key=f"bulk-{i}",
            title=f"Kinesis shard {i} instance profile",
            text=f"CloudWatch alarms on shard {i}: visibility timeout and instance profile {i}",
            shown_text=f"Kinesis shard {i}",
            url=f"/cards/bulk-{i}/",
        )
        for i in range(600)
    ]
    search.index_replace(search_documents() + extra)
    assert SearchEntry.objects.count() > 2500
    after = [queries(query) for query in asked]
    assert after == before
    with django_assert_max_num_queries(6):
        outcome = search.search("instance profile kinesis cloudwatch visibilty timeout shard")
    assert len(outcome.results) <= search.MAX_RESULTS


def test_search_page_query_count_is_small(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notes:search"), {"q": "sqs dead letter queue"})
    assert response.status_code == 200


def test_loading_twice_leaves_the_index_as_it_was():
    report = store_search_index()
    assert (report.created, report.updated, report.deleted) == (0, 0, 0)
    assert report.unchanged == SearchEntry.objects.count()


def test_the_index_follows_a_changed_topic():
    topic = Topic.objects.get(slug="sqs-delay-queue")
    topic.body_text += " Quokkafrobnicate appears now."
    topic.save()
    report = store_search_index()
    assert (report.created, report.updated, report.deleted) == (0, 1, 0)
    assert urls("quokkafrobnicate") == ["/notes/sqs-delay-queue/"]


def test_the_notes_verbatim_heading_is_searchable_too():
    assert "/notes/aim/" in urls("AIM")[:3]
    assert "/notes/aim/" in urls("IAM")[:3]


def test_without_full_text_search_substring_matching_still_works():
    plan = search.Plan(["cloudwatch"], [["cloudwatch", "cloudwath"]], "")
    candidates = search._substring_candidates(plan, all_words=True, kind="")
    assert "/notes/cloudwath/" in [candidate.row.url for candidate in candidates]
    assert len(candidates) <= search.CANDIDATES


def test_when_no_page_holds_every_word_pages_with_some_of_them_are_shown(client):
    outcome = search.search("kinesis zzqqxxunknownword")
    assert not outcome.all_words and outcome.results
    body = client.get(reverse("notes:search"), {"q": "kinesis zzqqxxunknownword"}).content.decode()
    assert "No page holds every word" in body


def test_the_database_does_the_text_search():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone()
            cursor.execute(
                "SELECT count(*) FROM notes_searchentry WHERE document @@ plainto_tsquery('english', 'kinesis')"
            )
            assert cursor.fetchone()[0] > 10
    elif connection.vendor == "sqlite":
        assert search._fts5_ready()
        assert search.SearchTrigram.objects.exists()
    else:
        pytest.skip("only PostgreSQL and SQLite are supported")


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("cloudwatch", "cloudwath", 1),
        ("asynchronous", "asynchronoues", 1),
        ("permissions", "permitions", 2),
        ("visibility", "visibilty", 1),
        ("ab", "ba", 1),
        ("instance", "distance", 2),
    ],
)
def test_edit_distance_counts_insertions_deletions_substitutions_and_swaps(a, b, distance):
    assert search.edit_distance(a, b, 3) == distance


def test_words_are_folded_and_camel_case_names_split():
    assert search.words("Organización de AIM") == ["organizacion", "de", "aim"]
    assert search.camel_parts("ParallelizationFactor and DynamoDB, SQS") == [
        "parallelization",
        "factor",
        "dynamo",
        "db",
    ]
    assert search.allowed_distance("ec2") == 0  # ec2, ecs and eks are different things
    assert search.allowed_distance("deny") == 0
    assert search.allowed_distance("letter") == 1
    assert search.allowed_distance("permissions") == 2


def test_snippets_escape_text_and_mark_every_match():
    pattern = search._highlight_pattern([["queue"], ["dead"]])
    snippet = search.highlighted_snippet("A <b>dead</b> letter Queue, queues.", pattern)
    assert "&lt;b&gt;<mark>dead</mark>&lt;/b&gt;" in snippet
    assert "<mark>Queue</mark>" in snippet and "<mark>queues</mark>" in snippet
