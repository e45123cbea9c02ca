import pytest
from django.test import Client

from studyapp.classroom import questions, services
from studyapp.notes.models import TaskStatement
from studyapp.quizzes.models import Question


@pytest.fixture
def other_instructor(django_user_model):
    from django.contrib.auth.models import Group

    from studyapp.accounts.roles import INSTRUCTOR_GROUP

    user = django_user_model.objects.create_user("other-teacher", password="x-long-password-1")
    user.groups.add(Group.objects.get_or_create(name=INSTRUCTOR_GROUP)[0])
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft(**changes) -> questions.QuestionDraft:
    values = {
        "stem": "A team deploys **Lambda** functions. Which *one* service stores the code?",
        "explanation": "Lambda stores deployment packages in S3 when they are large.",
        "task": TaskStatement.objects.order_by("order").first(),
        "sources": ["https://docs.aws.amazon.com/lambda/latest/dg/welcome.html"],
        "choices": [
            questions.ChoiceDraft("Amazon S3", True),
            questions.ChoiceDraft("Amazon SQS", False, "A queue, not storage."),
            questions.ChoiceDraft("AWS IAM", False, "Permissions, not storage."),
        ],
    }
    values.update(changes)
    return questions.QuestionDraft(**values)


@pytest.fixture
def own_question(instructor):
    return questions.question_save(owner=instructor, draft=draft())


@pytest.fixture
def cohort(instructor, learner):
    cohort = services.cohort_create(owner=instructor, name="Bootcamp May")
    services.cohort_join(token=cohort.invite_token, learner=learner)
    return cohort


@pytest.fixture
def question_set(instructor, own_question):
    question_set = services.set_create(owner=instructor, title="Week 1")
    bank = list(Question.objects.active().filter(kind="single")[:2])
    services.set_add(question_set=question_set, questions=[own_question, *bank])
    return question_set
