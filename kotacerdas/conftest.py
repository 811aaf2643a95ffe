"""Named personas for permission edges, as in the design: two residents, an operator and a
head of one agency, an officer of another agency, and an admin."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kotacerdas.accounts.models import CitizenProfile, Membership, User
from kotacerdas.agencies.models import Agency


class QuickArgon2Hasher(Argon2PasswordHasher):
    """Argon2 as in production, with tiny cost parameters: Django's defaults take 100 MB and
    a noticeable fraction of a second per hash, times six personas per test."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["kotacerdas.conftest.QuickArgon2Hasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded and generated files go to a fresh folder per test, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


PASSWORD = "rahasia-kota-2026"  # noqa: S105 - test accounts only


@dataclass
class Personas:
    alice: User  # resident
    bob: User  # another resident
    operator: User  # operator of Dispendukcapil
    kepala: User  # head of Dispendukcapil
    outsider: User  # verifikator of DPUPR, another agency
    admin: User  # Diskominfotik admin
    dukcapil: Agency
    dpupr: Agency


def make_staff(name: str, email: str, agency: Agency, role: str, **extra) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, name=name, email_verified=True,
                                    channels=["email"], **extra)
    Membership.objects.create(user=user, agency=agency, role=role)
    TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def otp_for(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def personas(db) -> Personas:
    dukcapil = Agency.objects.create(code="dispendukcapil", short_name="Dispendukcapil",
                                     name="Dinas Kependudukan dan Pencatatan Sipil", kind="dinas")
    dpupr = Agency.objects.create(code="dpupr", short_name="DPUPR",
                                  name="Dinas Pekerjaan Umum dan Penataan Ruang", kind="dinas")
    diskominfotik = Agency.objects.create(code="diskominfotik", short_name="Diskominfotik",
                                          name="Dinas Komunikasi, Informatika dan Statistik", kind="dinas")
    alice = User.objects.create_user(email="alice@warga.test", phone="+6281200000001", password=PASSWORD,
                                     name="Alice Wulandari", email_verified=True, channels=["email"])
    CitizenProfile.objects.create(user=alice, nik="3572034506900001")
    bob = User.objects.create_user(email="bob@warga.test", password=PASSWORD, name="Bob Prasetyo",
                                   email_verified=True, channels=["email"])
    CitizenProfile.objects.create(user=bob)
    return Personas(
        alice=alice,
        bob=bob,
        operator=make_staff("Ora Operator", "operator@pemkot.test", dukcapil, "operator"),
        kepala=make_staff("Kirana Kepala", "kepala@pemkot.test", dukcapil, "kepala"),
        outsider=make_staff("Oscar Luar", "verifikator@pemkot.test", dpupr, "verifikator"),
        admin=make_staff("Ada Admin", "admin@pemkot.test", diskominfotik, "admin",
                         is_staff=True, is_superuser=True),
        dukcapil=dukcapil,
        dpupr=dpupr,
    )


@pytest.fixture
def staff_client(client):
    """Log a staff member in through the real two-step login (password, then TOTP)."""

    def login(user: User):
        response = client.post("/akun/masuk/", {"identifier": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.content
        response = client.post("/akun/dua-langkah/", {"otp": otp_for(user)})
        assert response.status_code == 302, response.content
        return client

    return login
