import pytest

from studyapp.engines.dynamodb import DynamoDB


@pytest.fixture
def engine() -> DynamoDB:
    return DynamoDB()
