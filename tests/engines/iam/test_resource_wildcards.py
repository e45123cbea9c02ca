"""Wildcards in the Resource element stay inside an ARN segment.

RESOURCE = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
The offline guide (2023) says: "You can use wildcard characters (* and ?) within ARN
segments (the parts separated by colons) to represent any combination of characters with an
asterisk (*) and any single character with a question mark (?)". The current page adds
(quoted from the author's knowledge of it, after the offline copy): "If the * wildcard is the
last character of a resource ARN segment, it can expand to match beyond the colon
boundaries."
OPS = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
"""

from __future__ import annotations

import pytest

from studyapp.engines.iam import parse_policy, run
from studyapp.engines.iam.match import arn_match, glob_match, resource_match

QUEUE = "arn:aws:sqs:us-east-1:111122223331:queue1"


def test_a_question_mark_never_matches_a_colon():
    assert resource_match("arn:aws:sqs:us-east-?:111122223331:queue1", QUEUE)
    assert not resource_match("arn:aws:sqs:us-east-1?111122223331:queue1", QUEUE)
    assert not resource_match("arn:aws:s3:::bucket/a?b", "arn:aws:s3:::bucket/a:b")


def test_a_star_inside_a_segment_does_not_span_segments():
    # "us*1" could cover "us-east-1:111122223331" (two segments) if stars crossed colons.
    assert not resource_match("arn:aws:sqs:us*1:queue1", QUEUE)
    assert not resource_match("arn:aws:sqs:us*1:queue1", "arn:aws:sqs:us-east-1:1:x1:queue1")
    assert resource_match("arn:aws:sqs:us*1:111122223331:queue1", QUEUE)


def test_a_star_that_ends_its_segment_can_expand_across_colons():
    assert resource_match("arn:aws:sqs:*:queue1", QUEUE)
    assert resource_match(
        "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/*",
        "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/fn:log-stream:2024/01/01",
    )


def test_a_star_in_the_middle_of_the_resource_part_stays_in_its_segment():
    assert resource_match("arn:aws:s3:::bucket/*/x", "arn:aws:s3:::bucket/a/b/x")
    assert not resource_match("arn:aws:s3:::bucket/*/x", "arn:aws:s3:::bucket/a:b/x")


@pytest.mark.parametrize(
    "key",
    [
        "DOC-EXAMPLE-BUCKET/1/test/object.jpg",
        "DOC-EXAMPLE-BUCKET/1/2/test/object.jpg",
        "DOC-EXAMPLE-BUCKET/1/2/test/3/object.jpg",
        "DOC-EXAMPLE-BUCKET/1/2/3/test/4/object.jpg",
        "DOC-EXAMPLE-BUCKET/1///test///object.jpg",
        "DOC-EXAMPLE-BUCKET/1/test/.jpg",
        "DOC-EXAMPLE-BUCKET//test/object.jpg",
        "DOC-EXAMPLE-BUCKET/1/test/",
    ],
)
def test_the_pages_slash_examples_match(key):
    # RESOURCE: "The wildcards in the ARN apply to all of the following objects".
    assert resource_match("arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*", f"arn:aws:s3:::{key}")


@pytest.mark.parametrize(
    "key",
    [
        "DOC-EXAMPLE-BUCKET/1-test/object.jpg",
        "DOC-EXAMPLE-BUCKET/test/object.jpg",
        "DOC-EXAMPLE-BUCKET/1/2/test.jpg",
    ],
)
def test_the_pages_counter_examples_do_not_match(key):
    # RESOURCE: "The ARN would not match the following objects".
    assert not resource_match("arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*", f"arn:aws:s3:::{key}")


def test_a_policy_applies_the_segment_rule():
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:us*1:queue1"}
        ],
    }
    doc = {
        "principal": "arn:aws:iam::111122223331:user/alice",
        "identity_policies": [policy],
        "request": {"action": "sqs:SendMessage", "resource": QUEUE},
    }
    assert run(doc).decision == "ImplicitDeny"


def test_a_wildcard_in_the_service_segment_earns_a_warning():
    # RESOURCE: "You can't use a wildcard in the service segment that identifies the AWS
    # product."
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s*:::bucket"}],
    }
    warning = parse_policy(policy).warnings[0]
    assert (warning.code, warning.path) == ("wildcard-in-service", "Statement[0].Resource")


def test_string_like_crosses_colons_but_arn_like_does_not():
    # OPS, "Amazon Resource Name (ARN) condition operators": with the pattern
    # arn:aws:someservice:*:111122223333:finance/* "With a StringLike condition, the match
    # succeeds [...] With an ArnLike condition, which matches elements between colons, the
    # match fails."
    pattern = "arn:aws:someservice:*:111122223333:finance/*"
    value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
    assert glob_match(pattern, value)
    assert not arn_match(pattern, value)
