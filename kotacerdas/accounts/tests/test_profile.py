"""The account page: a resident's own details and notification preferences."""

from kotacerdas.accounts.models import User
from kotacerdas.conftest import PASSWORD

PROFILE = "/akun/"


def test_preferences_page_saves_language_and_channels(client, personas):
    client.force_login(personas.alice)

    response = client.post(PROFILE, {"language": "en", "channels": ["email", "whatsapp"]})

    assert response.status_code == 302
    alice = User.objects.get(pk=personas.alice.pk)
    assert alice.language == "en"
    assert alice.channels == ["email", "whatsapp"]


def test_preferences_page_can_turn_all_channels_off(client, personas):
    client.force_login(personas.alice)

    client.post(PROFILE, {"language": "id"})

    assert User.objects.get(pk=personas.alice.pk).channels == []


def test_preferences_page_refuses_an_unknown_channel(client, personas):
    client.force_login(personas.alice)

    response = client.post(PROFILE, {"language": "id", "channels": ["pigeon"]})

    assert response.status_code == 200
    assert User.objects.get(pk=personas.alice.pk).channels == ["email"]


def test_preferences_page_shows_the_saved_choices(client, personas):
    client.force_login(personas.alice)
    client.post(PROFILE, {"language": "en", "channels": ["sms"]})

    form = client.get(PROFILE).context["form"]

    assert form.initial == {"language": "en", "channels": ["sms"]}


def test_account_page_needs_a_login(client, db):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response.url.startswith("/akun/masuk/")


def test_resident_password_is_stored_with_argon2(personas):
    assert personas.alice.password.startswith("argon2")
    assert PASSWORD not in personas.alice.password
