def test_the_admin_login_page_renders(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"Log in" in response.content


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get("/admin/", follow=False)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_root_redirects_to_the_admin(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_schema_and_swagger_ui_are_served_offline(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    # Swagger UI assets come from drf-spectacular-sidecar, not a CDN.
    assert b"drf_spectacular_sidecar/swagger-ui-dist" in docs.content
    assert b"cdn.jsdelivr" not in docs.content
