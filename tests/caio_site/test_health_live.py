"""GET /api/health/live/."""

LIVE = "/api/health/live/"


def test_live_answers_200_without_authentication(client, db):
    response = client.get(LIVE)
    assert response.status_code == 200
    assert response.json() == {"status": "live"}
