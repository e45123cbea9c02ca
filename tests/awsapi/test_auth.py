"""Signature Version 4, keys, IAM, limits: refusals in AWS's codes, never a 500."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from studyapp.accounts.apikeys import api_key_revoke
from studyapp.accounts.models import ApiKey

pytest.importorskip("botocore")  # the dev extra: its signer is the reference
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from .support import SQS_TARGET, error_of, signed


@pytest.mark.django_db
def test_a_request_botocore_signed_is_accepted(client, api_key):
    key, secret = api_key
    response = signed(client, key.access_key_id, secret)
    assert response.status_code == 200
    assert json.loads(response.content) == {}  # no queue yet: ListQueues omits QueueUrls


@pytest.mark.django_db
def test_a_wrong_secret_is_signature_does_not_match(client, api_key):
    key, _secret = api_key
    assert error_of(signed(client, key.access_key_id, "x" * 40)) == (403, "SignatureDoesNotMatch")


@pytest.mark.django_db
def test_a_body_changed_after_signing_is_refused(client, api_key):
    key, secret = api_key
    request = AWSRequest(
        method="POST",
        url="http://testserver/aws/",
        data=b"{}",
        headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": SQS_TARGET},
    )
    SigV4Auth(Credentials(key.access_key_id, secret), "sqs", "us-east-1").add_auth(request)
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-type"}
    headers["Host"] = "testserver"
    response = client.post(
        "/aws/",
        data=b'{"QueueNamePrefix": "x"}',
        content_type="application/x-amz-json-1.0",
        headers=headers,
    )
    assert error_of(response) == (403, "SignatureDoesNotMatch")


@pytest.mark.django_db
def test_an_unknown_key_is_invalid_client_token_id(client):
    response = signed(client, "AKIAAAAAAAAAAAAAAAAA", "x" * 40)
    assert error_of(response) == (403, "InvalidClientTokenId")


@pytest.mark.django_db
def test_a_revoked_key_is_refused_like_an_unknown_one(client, api_key, learner):
    key, secret = api_key
    api_key_revoke(user=learner, access_key_id=key.access_key_id)
    assert error_of(signed(client, key.access_key_id, secret)) == (403, "InvalidClientTokenId")


@pytest.mark.django_db
def test_kinesis_refusals_have_kinesis_codes(client, api_key):
    key, secret = api_key
    target = "Kinesis_20131202.ListStreams"
    wrong = signed(client, key.access_key_id, "x" * 40, service="kinesis", target=target)
    assert error_of(wrong) == (400, "InvalidSignatureException")
    unknown = signed(client, "AKIAAAAAAAAAAAAAAAAA", secret, service="kinesis", target=target)
    assert error_of(unknown) == (400, "UnrecognizedClientException")


@pytest.mark.django_db
def test_a_request_signed_six_minutes_ago_has_expired(client, api_key):
    # "the request ... must reach AWS within five minutes of the time stamp in the request"
    # (IAM User Guide, Signature Version 4 for API requests).
    key, secret = api_key
    stale = datetime.now(UTC) - timedelta(minutes=6)
    response = signed(client, key.access_key_id, secret, at=stale)
    assert error_of(response) == (403, "SignatureDoesNotMatch")
    assert "Signature expired" in json.loads(response.content)["message"]


@pytest.mark.django_db
def test_a_signature_for_another_service_is_refused(client, api_key):
    key, secret = api_key
    response = signed(client, key.access_key_id, secret, service="kinesis")
    assert error_of(response) == (403, "SignatureDoesNotMatch")


@pytest.mark.django_db
def test_an_unsigned_request_is_missing_authentication_token(client):
    response = client.post(
        "/aws/",
        data=b"{}",
        content_type="application/x-amz-json-1.0",
        headers={"X-Amz-Target": SQS_TARGET},
    )
    assert error_of(response) == (403, "MissingAuthenticationToken")


@pytest.mark.django_db
def test_an_oversized_body_is_413_before_anything_else(client):
    response = client.post(
        "/aws/",
        data=b"x" * (2 * 1024 * 1024 + 1),
        content_type="application/x-amz-json-1.0",
        headers={"X-Amz-Target": SQS_TARGET},
    )
    assert error_of(response) == (413, "RequestEntityTooLarge")


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_serialization_error(client, api_key):
    key, secret = api_key
    response = signed(client, key.access_key_id, secret, body=b"[1, 2")
    assert error_of(response) == (400, "SerializationException")


@pytest.mark.django_db
def test_an_unknown_operation_or_target_is_a_4xx(client, api_key):
    key, secret = api_key
    response = signed(client, key.access_key_id, secret, target="AmazonSQS.Advance")
    assert error_of(response) == (400, "InvalidAction")
    response = signed(client, key.access_key_id, secret, target="Nope_2020.Do")
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_endpoint_needs_no_csrf_token(api_key):
    from django.test import Client

    key, secret = api_key
    assert signed(Client(enforce_csrf_checks=True), key.access_key_id, secret).status_code == 200


@pytest.mark.django_db
@override_settings(AWSAPI_CALLS_PER_SECOND=1)
def test_a_key_over_its_rate_is_throttled_with_a_retryable_code(client, api_key):
    key, secret = api_key
    statuses = [signed(client, key.access_key_id, secret).status_code for _ in range(10)]
    assert statuses == [200] * 10
    assert error_of(signed(client, key.access_key_id, secret)) == (400, "ThrottlingException")


@pytest.mark.django_db(transaction=True)
def test_a_policy_that_does_not_allow_the_action_is_access_denied(make_client, api_key):
    key, secret = api_key
    key.policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"},
                {
                    "Effect": "Deny",
                    "Action": "sqs:DeleteQueue",
                    "Resource": "arn:aws:sqs:us-east-1:000000000000:orders",
                },
            ],
        }
    )
    key.save()
    sqs = make_client("sqs", key.access_key_id, secret)
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "kept"}])
    with pytest.raises(sqs.exceptions.ClientError) as raised:
        sqs.delete_queue(QueueUrl=url)
    error = raised.value.response
    assert error["Error"]["Code"] == "AccessDenied"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "explicit deny" in error["Error"]["Message"]
    assert sqs.get_queue_url(QueueName="orders")["QueueUrl"] == url  # nothing was deleted
    denial = ApiKey.objects.get(pk=key.pk).last_denial
    assert denial["action"] == "sqs:DeleteQueue"
    assert denial["trace"][0]["step"] == "explicit-deny"


@pytest.mark.django_db(transaction=True)
def test_batch_calls_are_authorized_as_their_single_action(make_client, api_key):
    # SQS has no sqs:SendMessageBatch permission: a batch needs sqs:SendMessage.
    key, secret = api_key
    key.policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sqs:CreateQueue", "Resource": "*"}],
        }
    )
    key.save()
    sqs = make_client("sqs", key.access_key_id, secret)
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    with pytest.raises(sqs.exceptions.ClientError) as raised:
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "x"}])
    assert "sqs:SendMessage on resource" in raised.value.response["Error"]["Message"]


@pytest.mark.django_db(transaction=True)
def test_kinesis_denial_is_access_denied_exception(make_client, api_key):
    key, secret = api_key
    key.policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "kinesis:*",
                    "Resource": "arn:aws:kinesis:us-east-1:000000000000:stream/mine",
                }
            ],
        }
    )
    key.save()
    kinesis = make_client("kinesis", key.access_key_id, secret)
    kinesis.create_stream(StreamName="mine", ShardCount=1)
    with pytest.raises(kinesis.exceptions.AccessDeniedException):
        kinesis.create_stream(StreamName="theirs", ShardCount=1)
    # GetRecords is evaluated against the stream its iterator reads.
    iterator = kinesis.get_shard_iterator(
        StreamName="mine", ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    assert kinesis.get_records(ShardIterator=iterator)["Records"] == []


@pytest.mark.django_db(transaction=True)
def test_each_learner_sees_only_their_own_queues(make_client, api_key, other_learner):
    from studyapp.accounts.apikeys import api_key_create

    key, secret = api_key
    mine = make_client("sqs", key.access_key_id, secret)
    mine.create_queue(QueueName="private")
    other_key, other_secret = api_key_create(user=other_learner)
    theirs = make_client("sqs", other_key.access_key_id, other_secret)
    assert "QueueUrls" not in theirs.list_queues()
