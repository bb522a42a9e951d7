import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from core.ratelimit import Rate, client_ip, ratelimit, ratelimit_check

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@pytest.mark.parametrize(
    ("text", "count", "seconds"),
    [("5/m", 5, 60), ("5/15m", 5, 900), ("20/h", 20, 3600), ("3/d", 3, 86400), ("1/s", 1, 1)],
)
def test_rates_parse(text, count, seconds):
    assert Rate.parse(text) == Rate(count, seconds)


@pytest.mark.parametrize("text", ["5", "five/m", "0/m", "5/w", "5/0m", ""])
def test_bad_rates_fail_loudly(text):
    with pytest.raises(ValueError):
        Rate.parse(text)


def _view(request):
    return HttpResponse("ok")


def test_decorator_refuses_the_posts_over_the_limit_with_a_translated_429():
    view = ratelimit(group="t", key="ip", rate="2/m")(_view)
    rf = RequestFactory()
    assert view(rf.post("/x")).status_code == 200
    assert view(rf.post("/x")).status_code == 200
    request = rf.post("/x")
    request.user = AnonymousUser()  # the page's frame reads `user`
    response = view(request)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Terlalu banyak percobaan" in response.content.decode()
    # GET is never limited by default: the page itself keeps opening.
    assert view(rf.get("/x")).status_code == 200


def test_limits_are_per_address_and_per_group():
    rf = RequestFactory()
    a = rf.post("/x", REMOTE_ADDR="10.0.0.1")
    b = rf.post("/x", REMOTE_ADDR="10.0.0.2")
    assert not ratelimit_check(a, group="g1", rate="1/m").limited
    assert ratelimit_check(a, group="g1", rate="1/m").limited
    assert not ratelimit_check(b, group="g1", rate="1/m").limited
    assert not ratelimit_check(a, group="g2", rate="1/m").limited


def test_user_key_counts_per_account_whatever_the_address():
    user = User.objects.create_user("dewi@example.com", None)
    rf = RequestFactory()
    first = rf.post("/x", REMOTE_ADDR="10.0.0.1")
    second = rf.post("/x", REMOTE_ADDR="10.0.0.2")
    first.user = second.user = user
    assert not ratelimit_check(first, group="u", key="user", rate="1/h").limited
    assert ratelimit_check(second, group="u", key="user", rate="1/h").limited


def test_post_field_key_is_case_insensitive_and_falls_back_to_the_address():
    rf = RequestFactory()
    check = {"group": "p", "key": "post:email", "rate": "1/h"}
    assert not ratelimit_check(rf.post("/x", {"email": "Dewi@Example.com"}), **check).limited
    assert ratelimit_check(
        rf.post("/x", {"email": " dewi@example.com "}, REMOTE_ADDR="10.9.9.9"), **check
    ).limited
    assert not ratelimit_check(
        rf.post("/x", {"email": ""}, REMOTE_ADDR="10.1.1.1"), **check
    ).limited


def test_switched_off_limits_never_refuse(settings):
    settings.RATELIMIT_ENABLED = False
    request = RequestFactory().post("/x")
    for _ in range(5):
        assert not ratelimit_check(request, group="off", rate="1/m").limited


def test_client_ip_trusts_only_our_proxies(settings):
    rf = RequestFactory()
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.5"  # the header is the client's claim
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # what our proxy saw; 6.6.6.6 was claimed
    junk = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(junk) == "10.0.0.5"


def test_password_reset_is_limited_per_mailbox(client):
    User.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    url = reverse("password_reset")
    statuses = [client.post(url, {"login": "dewi@example.com"}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    # Another mailbox from the same address still gets through.
    assert client.post(url, {"login": "budi@example.com"}).status_code == 302


def test_password_reset_is_limited_per_number_however_it_is_written(client):
    url = reverse("password_reset")
    forms = ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "081234567890"]
    statuses = [client.post(url, {"login": number}).status_code for number in forms]
    assert statuses == [302, 302, 302, 429]


def test_password_reset_is_limited_per_address(client):
    url = reverse("password_reset")
    statuses = [client.post(url, {"login": f"orang{i}@example.com"}).status_code for i in range(11)]
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429


def test_429_page_is_english_after_switching(client):
    url = reverse("password_reset")
    client.cookies["django_language"] = "en"
    for _ in range(3):
        client.post(url, {"login": "dewi@example.com"})
    response = client.post(url, {"login": "dewi@example.com"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "group_limit"),
    [
        ("trainees:register", 60),
        ("placements:employer-register", 10),
    ],
)
def test_sign_up_forms_are_rate_limited_per_address(client, url_name, group_limit):
    url = reverse(url_name)
    statuses = {client.post(url, {}).status_code for _ in range(group_limit)}
    assert 429 not in statuses
    assert client.post(url, {}).status_code == 429
    assert client.get(url).status_code == 200  # the page itself still opens


def test_resend_verification_is_rate_limited_per_account(client):
    user = User.objects.create_user("dewi@example.com", None)
    client.force_login(user)
    url = reverse("trainees:verify-email-resend")
    statuses = [client.post(url).status_code for _ in range(11)]
    assert statuses[-1] == 429
    assert 429 not in statuses[:10]
