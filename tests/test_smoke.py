def test_the_admin_login_page_renders(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"Log in" in response.content


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get("/admin/", follow=False)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
