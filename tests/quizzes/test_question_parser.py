from pathlib import Path

import pytest

from studyapp.authoring.blocks import ContentError
from studyapp.authoring.questions import parse_question_file

GOOD = """### sqs-duplicate-processing
topic: sqs-message-visibility-timeout
task: 4.3
difficulty: 2
source: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html

A worker takes 45 seconds per message. Some orders are processed twice. What should the developer do?

- [x] Raise the visibility timeout above the processing time.
- [ ] Enable long polling.
  why: Long polling reduces empty responses only.
- [ ] Use a FIFO queue with the same settings.
  why: The same timeout problem remains.
- [ ] Set MaxNumberOfMessages to 1.
  why: Each message still reappears after 30 seconds.

explanation: A received message stays hidden only for the visibility timeout.
Raise it above the processing time.
"""

MULTI = GOOD.replace(
    "What should the developer do?", "Which TWO actions help? (Choose TWO.)"
).replace(
    "- [ ] Enable long polling.\n  why: Long polling reduces empty responses only.\n",
    "- [x] Call ChangeMessageVisibility while processing.\n",
)


def parse(text):
    return parse_question_file(Path("questions/q.md"), text)


def test_single_answer_question():
    (question,) = parse(GOOD)
    assert question.key == "sqs-duplicate-processing"
    assert (question.task_code, question.difficulty, question.kind) == ("4.3", 2, "single")
    assert [choice.correct for choice in question.choices] == [True, False, False, False]
    assert question.choices[1].why == "Long polling reduces empty responses only."
    assert question.explanation.startswith("A received message stays hidden")
    assert "Raise it above" in question.explanation


def test_multiple_response_question():
    (question,) = parse(MULTI)
    assert question.kind == "multiple"
    assert sum(choice.correct for choice in question.choices) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("task: 4.3", "domain: 4"), r"q\.md:3: unknown field `domain:`"),
        (
            GOOD.replace("difficulty: 2", "difficulty: hard"),
            r"q\.md:4: difficulty must be a number",
        ),
        (
            GOOD.replace("  why: Long polling reduces empty responses only.\n", ""),
            r"q\.md:1: wrong option without a `why:` line",
        ),
        (GOOD.replace("- [x] Raise", "- [ ] Raise"), r"q\.md:1: no option is marked correct"),
        (
            GOOD.replace(
                "- [ ] Set MaxNumberOfMessages to 1.\n  why: Each message still reappears after 30 seconds.\n",
                "",
            ),
            r"q\.md:1: a question needs at least 4 options",
        ),
        (MULTI.replace(" (Choose TWO.)", ""), r"q\.md:1: 2 options are correct: the stem must say"),
        (MULTI.replace("(Choose TWO.)", "(Choose THREE.)"), r"q\.md:1: 2 options are correct"),
        (
            GOOD.replace("What should", "(Choose TWO.) What should"),
            r"q\.md:1: the stem says \(Choose N\.\) but only one",
        ),
        (GOOD.replace("explanation: A received", "A received"), r"q\.md:17: expected an option"),
        (GOOD.split("explanation:")[0], r"q\.md:1: the question has no `explanation:`"),
        (
            GOOD.replace(
                "- [x] Raise the visibility timeout above the processing time.\n",
                "- [x] Raise it.\n  why: oops\n",
            ),
            r"q\.md:10: a `why:` line must follow a wrong option",
        ),
        (
            GOOD.replace("### sqs-duplicate-processing", "### gen-sqs-7"),
            r"q\.md:1: ids starting with 'gen-' are kept for generated questions",
        ),
    ],
)
def test_bad_questions_are_reported_with_file_and_line(text, message):
    with pytest.raises(ContentError, match=message):
        parse(text)
