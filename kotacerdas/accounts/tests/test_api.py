"""/api/v1/ account endpoints: tokens, "me", my cases, and the published schema."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kotacerdas.accounts.models import ApiToken, User
from kotacerdas.cases.actions import case_open, case_transition
from kotacerdas.cases.models import Kind, Status
from kotacerdas.conftest import PASSWORD, otp_for

TOKEN = "/api/v1/auth/token"


def post_json(client, path: str, data: dict):
    return client.post(path, data, content_type="application/json")


def token_for(client, **credentials) -> str:
    response = post_json(client, TOKEN, {"password": PASSWORD, **credentials})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


# --- tokens -----------------------------------------------------------------------------


def test_email_and_password_give_a_token_that_opens_me(client, personas):
    response = post_json(client, TOKEN, {"email": "alice@warga.test", "password": PASSWORD})

    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    me = client.get("/api/v1/me", headers=bearer(response.json()["token"]))
    assert me.json()["email"] == "alice@warga.test"


@pytest.mark.parametrize("phone", ["+6281200000001", "0812-0000-0001", "62 812 0000 0001"])
def test_phone_in_any_format_and_password_give_a_token(client, personas, phone):
    token = token_for(client, phone=phone)

    assert client.get("/api/v1/me", headers=bearer(token)).json()["name"] == "Alice Wulandari"


def test_wrong_password_gets_401_with_a_detail(client, personas):
    response = post_json(client, TOKEN, {"email": "alice@warga.test", "password": "salah-sandi-2026"})

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "E-mail/nomor HP atau kata sandi salah."
    assert "token" not in response.json()


def test_unknown_account_gets_the_same_401_as_a_wrong_password(client, personas):
    wrong = post_json(client, TOKEN, {"email": "alice@warga.test", "password": "salah-sandi-2026"})
    unknown = post_json(client, TOKEN, {"email": "nobody@warga.test", "password": PASSWORD})

    assert unknown.status_code == 401
    assert unknown.json() == wrong.json()


def test_staff_password_without_otp_gets_401_naming_otp(client, personas):
    response = post_json(client, TOKEN, {"email": personas.operator.email, "password": PASSWORD})

    assert response.status_code == 401
    assert response.json()["field"] == "otp"
    assert "OTP" in response.json()["detail"]


def test_staff_with_the_right_otp_gets_a_token(client, personas):
    response = post_json(client, TOKEN, {"email": personas.operator.email, "password": PASSWORD,
                                         "otp": otp_for(personas.operator)})

    assert response.status_code == 200
    me = client.get("/api/v1/me", headers=bearer(response.json()["token"])).json()
    assert me["agency"] == "dispendukcapil"
    assert me["role"] == "operator"


def test_staff_retrying_with_the_otp_after_a_refusal_gets_a_token(client, personas):
    post_json(client, TOKEN, {"email": personas.operator.email, "password": PASSWORD})

    # django-otp makes the device wait a second after a failed try.
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        response = post_json(client, TOKEN, {"email": personas.operator.email, "password": PASSWORD,
                                             "otp": otp_for(personas.operator)})

    assert response.status_code == 200


def test_staff_with_a_wrong_otp_gets_401(client, personas):
    right = otp_for(personas.operator)
    response = post_json(client, TOKEN, {"email": personas.operator.email, "password": PASSWORD,
                                         "otp": f"{(int(right) + 1) % 10**6:06d}"})

    assert response.status_code == 401


def test_too_many_failures_get_429_even_with_the_right_password(client, personas):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        post_json(client, TOKEN, {"email": "alice@warga.test", "password": "salah-sandi-2026"})

    response = post_json(client, TOKEN, {"email": "alice@warga.test", "password": PASSWORD})

    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.json()["detail"]


def test_missing_password_gets_422_with_a_message(client, personas):
    response = post_json(client, TOKEN, {"email": "alice@warga.test"})

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Data yang dikirim tidak valid / Invalid input."
    assert any("password" in error["loc"] for error in body["errors"])


def test_malformed_json_gets_a_json_error(client, personas):
    response = client.post(TOKEN, "{not json", content_type="application/json")

    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


# --- me ---------------------------------------------------------------------------------


def test_me_returns_my_own_account_and_no_nik(client, personas):
    token = token_for(client, email="alice@warga.test")

    response = client.get("/api/v1/me", headers=bearer(token))

    assert response.status_code == 200
    assert response.json() == {
        "name": "Alice Wulandari", "email": "alice@warga.test", "phone": "+6281200000001",
        "email_verified": True, "phone_verified": False, "language": "id", "channels": ["email"],
        "agency": None, "role": None,
    }
    assert "3572034506900001" not in response.content.decode()


def test_me_without_a_token_gets_401_json(client, db):
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Bearer" in response.json()["detail"]


def test_me_with_a_made_up_token_gets_401(client, db):
    response = client.get("/api/v1/me", headers=bearer("kct_made-up"))

    assert response.status_code == 401


def test_token_of_a_deactivated_account_stops_working(client, personas):
    token = token_for(client, email="bob@warga.test")
    personas.bob.is_active = False
    personas.bob.save(update_fields=["is_active"])

    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_tokens_are_stored_only_as_digests(client, personas):
    token = token_for(client, email="alice@warga.test")

    stored = ApiToken.objects.get(user=personas.alice).token_hash
    assert token not in stored
    assert len(stored) == 64


# --- my cases ---------------------------------------------------------------------------


def open_case(citizen, agency, title: str):
    return case_open(kind=Kind.INFORMATION, agency=agency, title=title, sla_workdays=5, citizen=citizen)


def test_my_cases_lists_only_my_own_cases(client, personas):
    mine = open_case(personas.alice, personas.dukcapil, "Penerbitan KTP-el")
    open_case(personas.bob, personas.dukcapil, "Akta kelahiran Bob")
    token = token_for(client, email="alice@warga.test")

    response = client.get("/api/v1/me/cases", headers=bearer(token))

    assert response.status_code == 200
    [item] = response.json()
    assert item["tracking_code"] == mine.tracking_code
    assert item["title"] == "Penerbitan KTP-el"
    assert item["agency"] == "Dispendukcapil"
    assert item["status"] == "submitted"
    assert item["due_date"] == mine.due_date.isoformat()


def test_my_cases_is_empty_for_a_new_resident(client, personas):
    open_case(personas.alice, personas.dukcapil, "Penerbitan KTP-el")
    token = token_for(client, email="bob@warga.test")

    assert client.get("/api/v1/me/cases", headers=bearer(token)).json() == []


def test_my_cases_needs_a_token(client, db):
    assert client.get("/api/v1/me/cases").status_code == 401


@pytest.mark.parametrize(
    ("language", "submitted", "waiting"),
    [("id", "Diajukan", "Menunggu perbaikan dari warga"),
     ("en", "Submitted", "Waiting for corrections from the resident")],
)
def test_my_cases_labels_each_status_in_my_language_and_marks_what_waits_on_me(
    client, personas, language, submitted, waiting
):
    first = open_case(personas.alice, personas.dukcapil, "Penerbitan KTP-el")
    second = open_case(personas.alice, personas.dukcapil, "Akta kelahiran")
    case_transition(case=second, to_status=Status.WAITING_CITIZEN, actor=personas.operator, note="Foto buram")
    token = token_for(client, email="alice@warga.test")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get("/api/v1/me/cases", headers=bearer(token))

    shown = {i["tracking_code"]: (i["status_label"], i["waiting_on_you"]) for i in response.json()}
    assert shown == {first.tracking_code: (submitted, False), second.tracking_code: (waiting, True)}


def test_my_cases_costs_the_same_queries_for_one_case_or_many(client, personas):
    token = token_for(client, email="alice@warga.test")
    open_case(personas.alice, personas.dukcapil, "Satu")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/me/cases", headers=bearer(token))
    open_case(personas.alice, personas.dpupr, "Dua")
    open_case(personas.alice, personas.dpupr, "Tiga")
    with CaptureQueriesContext(connection) as three:
        response = client.get("/api/v1/me/cases", headers=bearer(token))

    assert len(response.json()) == 3
    assert len(three) == len(one)


# --- schema -----------------------------------------------------------------------------


def test_openapi_schema_is_json_listing_the_account_endpoints(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/auth/register", "/api/v1/auth/token", "/api/v1/me", "/api/v1/me/cases",
                 "/api/v1/regions", "/api/v1/agencies"):
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/api/v1/auth/token"]


def test_api_docs_page_answers(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_register_refuses_an_overlong_name_with_a_clear_error(client, db):
    response = client.post("/api/v1/auth/register", {"name": "A" * 151, "password": "sangat-rahasia-99",
                                                      "email": "panjang@warga.test"},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Nama terlalu panjang (maksimal 150 karakter).", "field": "name"}
    assert not User.objects.filter(email="panjang@warga.test").exists()


def test_register_refuses_a_megabyte_password(client, db):
    response = client.post("/api/v1/auth/register", {"name": "Sari", "password": "x" * 100_000,
                                                      "email": "sari@warga.test"},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "password"


def test_unparseable_json_gets_a_bilingual_400(client, db):
    response = client.post("/api/v1/auth/register", "{bad", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Isi permintaan tidak dapat dibaca")
