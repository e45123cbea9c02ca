"""The bank and the deck measured against the exam's realism bar, from the loaded data.

The thresholds are here, in one place. The bar comes from the exam guide issue: enough
questions and cards for every task statement, pools that let mock exams vary, scenarios with
exam qualifiers, and no give-away in the options' lengths or positions.
"""

import pytest
from django.db.models import Count, Q

from studyapp.authoring.quality import CardFacts, Measures, QuestionFacts
from studyapp.cards.models import Card
from studyapp.notes.models import ExamDomain, TaskStatement, Topic
from studyapp.quizzes.generated import store
from studyapp.quizzes.models import Question
from studyapp.quizzes.services import domain_quota

MIN_QUESTIONS = 650
MIN_CARDS = 1000
MIN_MULTIPLE_RESPONSE_SHARE = 0.30
MIN_QUALIFIER_SHARE = 0.50
MAX_RIGHT_IS_LONGEST_SHARE = 0.30
MAX_RIGHT_AUTHORED_FIRST_SHARE = 0.35
MIN_QUESTIONS_PER_TASK = 25
MIN_CARDS_PER_TASK = 40
POOL_FACTOR = 4  # each domain's pool: at least 4 times what a mock exam draws from it
MIN_GUIDE_PAGES = 40
SERVICES_THE_GUIDE_COVERS = [
    "DynamoDB", "API Gateway", "Amazon S3", "Cognito", "Secrets Manager", "Parameter Store",
    "AWS SAM", "CloudFormation", "CDK", "CodeCommit", "CodeBuild", "CodeDeploy", "CodePipeline",
    "Elastic Beanstalk", "Amazon ECS", "Amazon ECR", "Step Functions", "AppSync", "ElastiCache",
    "X-Ray", "KMS",
]  # fmt: skip

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def measures(django_db_setup, django_db_blocker) -> Measures:
    with django_db_blocker.unblock():
        questions = [
            QuestionFacts(
                key=question.key,
                task=question.task.code,
                stem=question.stem_text,
                options=tuple((choice.text, choice.correct) for choice in question.choices.all()),
                sources=tuple(question.sources),
            )
            # The authored bank only: questions a simulator writes (`generator`) are not held
            # to the authored bar (counts per task, qualifiers, lengths), whatever active() is.
            for question in Question.objects.active()
            .filter(generator="")
            .select_related("task")
            .prefetch_related("choices")
        ]
        cards = [
            CardFacts(key=card.key, task=card.task.code, sources=tuple(card.sources))
            for card in Card.objects.filter(owner__isnull=True, retired=False).select_related(
                "task"
            )
        ]
    return Measures(questions=questions, cards=cards)


def test_the_bank_is_big_enough(measures):
    assert len(measures.questions) >= MIN_QUESTIONS
    assert len(measures.cards) >= MIN_CARDS


def test_every_task_statement_has_its_questions_and_cards(measures):
    codes = list(TaskStatement.objects.values_list("code", flat=True))
    assert len(codes) == 13
    questions, cards = measures.questions_per_task(), measures.cards_per_task()
    short = {code: (questions[code], cards[code]) for code in codes
             if questions[code] < MIN_QUESTIONS_PER_TASK or cards[code] < MIN_CARDS_PER_TASK}  # fmt: skip
    assert short == {}


def test_each_domain_pool_holds_four_mock_exams_worth(measures):
    quota = domain_quota()
    pools = dict(
        ExamDomain.objects.annotate(
            n=Count(
                "tasks__questions",
                filter=Q(
                    tasks__questions__retired=False,
                    tasks__questions__owner__isnull=True,
                    tasks__questions__generator="",
                ),
            )
        ).values_list("number", "n")
    )
    assert {domain: pools[domain] >= POOL_FACTOR * wanted for domain, wanted in quota.items()} == {
        domain: True for domain in quota
    }


def test_questions_read_like_the_exam(measures):
    assert measures.not_scenarios() == []
    assert measures.multiple_share >= MIN_MULTIPLE_RESPONSE_SHARE
    assert measures.qualifier_share >= MIN_QUALIFIER_SHARE


def test_no_length_or_position_give_away(measures):
    assert measures.longest_share <= MAX_RIGHT_IS_LONGEST_SHARE
    assert measures.first_position_share <= MAX_RIGHT_AUTHORED_FIRST_SHARE


def test_every_card_and_question_cites_its_sources(measures):
    assert measures.without_sources() == []


def test_generated_questions_are_left_out_of_the_authored_measures():
    """A bank full of generated questions must not lift the counts or dilute the shares."""
    authored = Question.objects.active().count()
    task = store.materialise("sqs", 1).task
    store.materialise("sqs", 2)
    assert Question.objects.filter(task=task).exclude(generator="").count() == 2
    assert Question.objects.active().count() == authored
    assert Question.objects.active().filter(generator="").count() == authored


def test_the_study_guide_covers_every_service_the_exam_asks_about():
    pages = Topic.objects.active().filter(kind=Topic.Kind.GUIDE)
    assert pages.count() >= MIN_GUIDE_PAGES
    text = " ".join(pages.values_list("body_text", flat=True))
    assert [name for name in SERVICES_THE_GUIDE_COVERS if name not in text] == []
    assert not pages.filter(tasks__isnull=True).exists()
