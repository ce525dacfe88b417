"""The public front page: open to everyone, with the look-up sections that later issues fill."""

from django.urls import reverse


def test_anyone_can_open_the_front_page(client, db):
    response = client.get(reverse("public:home"))

    assert response.status_code == 200
    assert b'id="stations"' in response.content
    assert b'id="deputies"' in response.content
    assert reverse("accounts:login").encode() in response.content
    assert "同心".encode() in response.content


def test_the_front_page_is_in_chinese_by_default(client, db):
    response = client.get(reverse("public:home"))

    assert b'<html lang="zh-hans">' in response.content
    assert response.headers["Content-Language"] == "zh-hans"


def test_the_anonymous_front_page_runs_no_query_for_navigation(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(reverse("public:home"))


def test_a_logged_in_visitor_gets_a_link_to_their_workspace(client, login, deputy_user):
    login(client, deputy_user)

    response = client.get(reverse("public:home"))

    assert reverse("accounts:landing").encode() in response.content
