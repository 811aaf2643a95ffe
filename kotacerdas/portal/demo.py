"""Demo accounts and cases for `kotacerdas seed --demo` (and `make run`). Never for production.

Demo staff get fixed TOTP secrets so the printed logins work in any authenticator app."""

from base64 import b32encode
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from kotacerdas.accounts.models import CitizenProfile, Membership, User
from kotacerdas.agencies.models import Agency
from kotacerdas.cases import actions as case_actions
from kotacerdas.cases.models import Case, Kind, Status
from kotacerdas.regions.actions import region_add
from kotacerdas.regions.models import Region

DEMO_PASSWORD = "kotacerdas-demo"  # noqa: S105 - printed to the console on purpose


@dataclass(frozen=True)
class DemoLogin:
    role: str
    login: str
    password: str
    totp_secret: str = ""


CITIZENS = [
    ("Siti Rahayu", "siti@warga.demo", "+6281234500001", "3572034506900001"),
    ("Budi Santoso", None, "+6281234500002", None),
]
STAFF = [
    ("Operator Dispendukcapil", "operator.dukcapil@pemkot.demo", "dispendukcapil", "operator"),
    ("Kepala Dispendukcapil", "kepala.dukcapil@pemkot.demo", "dispendukcapil", "kepala"),
    ("Verifikator DPUPR", "verifikator.dpupr@pemkot.demo", "dpupr", "verifikator"),
    ("Admin Diskominfotik", "admin@pemkot.demo", "diskominfotik", "admin"),
]


def _totp_secret(email: str) -> tuple[str, str]:
    raw = email.encode().ljust(20, b"k")[:20]
    return raw.hex(), b32encode(raw).decode()


def _citizens() -> list[User]:
    users = []
    for name, email, phone, nik in CITIZENS:
        user = User.objects.filter(phone=phone).first()
        if user is None:
            user = User.objects.create_user(
                email=email, phone=phone, password=DEMO_PASSWORD, name=name,
                email_verified=bool(email), phone_verified=True,
                channels=["email"] if email else ["sms"],
            )
            CitizenProfile.objects.create(user=user, nik=nik)
        users.append(user)
    return users


def _staff() -> list[DemoLogin]:
    logins = []
    for name, email, agency_code, role in STAFF:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, name=name, email_verified=True, channels=["email"],
                is_staff=role == "admin", is_superuser=role == "admin",
            )
            Membership.objects.create(user=user, agency=Agency.objects.get(code=agency_code), role=role)
        key_hex, key_b32 = _totp_secret(email)
        TOTPDevice.objects.get_or_create(
            user=user, defaults={"name": "demo", "key": key_hex, "confirmed": True}
        )
        logins.append(DemoLogin(f"{role} · {agency_code}", email, DEMO_PASSWORD, key_b32))
    return logins


def _demo_rw_rt() -> None:
    """Demo RW/RT: about 200 RW and 692 RT spread over the 21 kelurahan, marked as demo."""
    kelurahan = list(Region.objects.filter(level=Region.Level.KELURAHAN).order_by("code"))
    for index, kel in enumerate(kelurahan):
        for rw_number in range(1, 10 + (index % 2)):
            rw = region_add(parent=kel, level=Region.Level.RW, number=rw_number, is_demo=True)
            for rt_number in range(1, 4 + (rw_number % 2)):
                region_add(parent=rw, level=Region.Level.RT, number=rt_number, is_demo=True)


def _cases(citizens: list[User]) -> None:
    if Case.objects.filter(citizen__in=citizens).exists():
        return
    siti, budi = citizens
    dukcapil = Agency.objects.get(code="dispendukcapil")
    dpupr = Agency.objects.get(code="dpupr")
    operator = User.objects.get(email="operator.dukcapil@pemkot.demo")
    sentul = Region.objects.get(code="35.72.01.1003")
    case_actions.case_open(kind=Kind.SERVICE, agency=dukcapil, sla_workdays=5, citizen=siti,
                           title="Penerbitan Kartu Keluarga (perubahan data)", kelurahan=sentul)
    kia = case_actions.case_open(kind=Kind.SERVICE, agency=dukcapil, title="Penerbitan Kartu Identitas Anak",
                                 sla_workdays=5, citizen=siti, kelurahan=sentul)
    case_actions.case_transition(case=kia, to_status=Status.IN_PROGRESS, actor=operator,
                                 note="Berkas lengkap, sedang diproses.")
    case_actions.case_open(kind=Kind.REPORT, agency=dpupr, title="Jalan berlubang di Jl. Kalimantan",
                           sla_workdays=5, citizen=budi, kelurahan=sentul, lat=-8.0753, lon=112.1849)


@transaction.atomic
def demo_load() -> list[DemoLogin]:
    citizens = _citizens()
    logins = [DemoLogin("warga", citizens[0].email or "", DEMO_PASSWORD),
              DemoLogin("warga (HP)", "0812-3450-0002", DEMO_PASSWORD)]
    logins += _staff()
    _demo_rw_rt()
    _cases(citizens)
    return logins
