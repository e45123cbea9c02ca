"""Real boto3 clients against the endpoint on Django's live server, signed with a learner's key."""

import pytest


@pytest.fixture
def api_key(learner):
    from studyapp.accounts.apikeys import api_key_create

    key, secret = api_key_create(user=learner)
    return key, secret


@pytest.fixture
def make_client(live_server):
    """make_client(service, key_id, secret, attempts=1): a boto3 client for the endpoint.

    Clients are closed after the test, so that no server thread still holds a keep-alive
    connection (and the shared test database) when the live server stops."""
    boto3 = pytest.importorskip("boto3")  # the dev extra
    from botocore.config import Config

    made = []

    def make(service, key_id, secret, attempts=1):
        client = boto3.client(
            service,
            endpoint_url=f"{live_server.url}/aws/",
            region_name="us-east-1",
            aws_access_key_id=key_id,
            aws_secret_access_key=secret,
            config=Config(retries={"total_max_attempts": attempts, "mode": "standard"}),
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def sqs(make_client, api_key):
    key, secret = api_key
    return make_client("sqs", key.access_key_id, secret)


@pytest.fixture
def kinesis(make_client, api_key):
    key, secret = api_key
    return make_client("kinesis", key.access_key_id, secret)


@pytest.fixture
def dynamodb(make_client, api_key):
    key, secret = api_key
    return make_client("dynamodb", key.access_key_id, secret)
