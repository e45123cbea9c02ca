import pytest


@pytest.mark.django_db
def test_forbidden_page_explains_itself(client, learner):
    client.force_login(learner)
    response = client.get("/live/new/")
    assert response.status_code == 403
    assert "Only instructors can host live quizzes." in response.content.decode()
