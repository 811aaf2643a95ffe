"""Demo accounts and cases for `kotacerdas seed --demo` (and `make run`). Never for production.

Demo staff get fixed TOTP secrets so the printed logins work in any authenticator app."""

from base64 import b32encode
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from kotacerdas.accounts.models import CitizenProfile, Membership, User
from kotacerdas.agencies.models import Agency
from kotacerdas.cases import actions as case_actions
from kotacerdas.cases.models import Case, Status
from kotacerdas.lib.pdf import PdfPage, render_pdf
from kotacerdas.regions.actions import region_add
from kotacerdas.regions.models import Region
from kotacerdas.reports import actions as report_actions
from kotacerdas.reports.actions import categories_load_reference
from kotacerdas.reports.models import Category, Privacy
from kotacerdas.services import actions as service_actions
from kotacerdas.services.models import Application, FormField, Service

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
    ("Operator Kelurahan Sentul", "operator.sentul@pemkot.demo", "kel-3572011003", "operator"),
    ("Lurah Sentul", "lurah.sentul@pemkot.demo", "kel-3572011003", "kepala"),
    ("Operator Dishub", "operator.dishub@pemkot.demo", "dishub", "operator"),
    ("Walidata Diskominfotik", "walidata@pemkot.demo", "diskominfotik", "verifikator"),
    ("Operator Data Diskominfotik", "operator.diskominfotik@pemkot.demo", "diskominfotik", "operator"),
    ("Operator Bappeda", "operator.bappeda@pemkot.demo", "bappeda", "operator"),
    ("Sekretaris Daerah (atasan PPID)", "sekda@pemkot.demo", "setda", "kepala"),
    ("Wali Kota (Kantor Wali Kota)", "walikota@pemkot.demo", "setda", "kepala"),
]
SENTUL = "35.72.01.1003"


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


def demo_answers(service: Service, owner: User) -> tuple[dict, dict[str, int]]:
    """Plausible answers to any service's form, with a small generated PDF for each file."""
    answers: dict = {}
    uploads: dict[str, int] = {}
    for field in service.fields.all():
        kind = field.type
        if kind == FormField.Type.FILE:
            if "pdf" in (field.accept or ["pdf"]):
                content = render_pdf(PdfPage(title=field.label, paragraphs=["Berkas contoh untuk demo."]))
                upload = SimpleUploadedFile(f"{field.name}.pdf", content)
            else:
                image = BytesIO()
                Image.new("RGB", (300, 400), (200, 210, 220)).save(image, "PNG")
                upload = SimpleUploadedFile(f"{field.name}.png", image.getvalue())
            uploads[field.name] = service_actions.upload_store(
                owner=owner, service=service, field_name=field.name, upload=upload).pk
        elif kind in (FormField.Type.CHOICE, FormField.Type.MULTICHOICE):
            answers[field.name] = field.choices[0] if kind == FormField.Type.CHOICE else field.choices[:1]
        elif kind == FormField.Type.NIK:
            answers[field.name] = "3572034506900001"
        elif kind == FormField.Type.PHONE:
            answers[field.name] = "081234500001"
        elif kind == FormField.Type.ADDRESS:
            answers[field.name] = {"kelurahan": SENTUL, "rw": "3", "rt": "2", "street": "Jl. Merapi No. 10"}
        elif kind == FormField.Type.DATE:
            answers[field.name] = (timezone.localdate() - timedelta(days=30)).isoformat()
        elif kind == FormField.Type.NUMBER:
            answers[field.name] = "1"
        else:
            answers[field.name] = "Contoh isian demo"
    return answers, uploads


def _apply(citizen: User, slug: str) -> Application:
    service = Service.objects.get(slug=slug)
    answers, uploads = demo_answers(service, citizen)
    return service_actions.application_submit(
        applicant=citizen, service=service, answers=answers, uploads=uploads,
        submission_key=f"demo-{slug}-{citizen.pk}",
    )


def _cases(citizens: list[User]) -> None:
    if Case.objects.filter(citizen__in=citizens).exists():
        return
    siti, budi = citizens
    operator = User.objects.get(email="operator.dukcapil@pemkot.demo")
    kepala = User.objects.get(email="kepala.dukcapil@pemkot.demo")
    sentul = Region.objects.get(code=SENTUL)
    # One application at each step of the workflow, so every screen has something to show.
    _apply(siti, "kk-perubahan")
    kia = _apply(siti, "kartu-identitas-anak")
    case_actions.case_transition(case=kia.case, to_status=Status.VERIFIED, actor=operator)
    case_actions.case_transition(case=kia.case, to_status=Status.IN_PROGRESS, actor=operator,
                                 note="Berkas lengkap, sedang diproses.")
    akta = _apply(siti, "akta-kelahiran")
    field = akta.service.fields.filter(type=FormField.Type.FILE).first()
    if field is not None:
        service_actions.application_request_revision(
            application=akta, actor=operator, fields=[field.name],
            note=f"{field.label} kurang jelas terbaca. Mohon unggah ulang hasil pindaian yang lebih terang.")
    ktp = _apply(siti, "ktp-el-hilang-rusak")
    case_actions.case_transition(case=ktp.case, to_status=Status.VERIFIED, actor=operator)
    case_actions.case_transition(case=ktp.case, to_status=Status.IN_PROGRESS, actor=operator)
    service_actions.application_finish(application=ktp, actor=kepala,
                                       note="KTP-el dapat diambil di kantor Dispendukcapil.")
    budi.citizen.kelurahan = sentul
    budi.citizen.save(update_fields=["kelurahan"])
    categories_load_reference()
    road = Category.objects.get(code="jalan-rusak")
    pothole = report_actions.report_submit(
        reporter=budi, category=road,
        description="Jalan berlubang cukup dalam, berbahaya bagi motor saat hujan.",
        lat=-8.0953, lon=112.1612, address="Jl. Kalimantan dekat perempatan", submission_key="demo-1",
    )
    report_actions.report_support(report=pothole, user=siti)
    light = report_actions.report_submit(
        reporter=siti, category=Category.objects.get(code="lampu-jalan-mati"), privacy=Privacy.ANONYMOUS,
        description="Lampu PJU mati sejak seminggu, jalan gelap malam hari.", lat=-8.1002, lon=112.1698,
        submission_key="demo-2",
    )
    dishub = User.objects.filter(staff_membership__agency__code="dishub").first()
    if dishub is not None:
        report_actions.report_verify(report=light, actor=dishub)


@transaction.atomic
def demo_load() -> list[DemoLogin]:
    citizens = _citizens()
    logins = [DemoLogin("warga", citizens[0].email or "", DEMO_PASSWORD),
              DemoLogin("warga (HP)", "0812-3450-0002", DEMO_PASSWORD)]
    logins += _staff()
    _demo_rw_rt()
    service_actions.services_load_reference()  # the demo applies for services of the catalog
    _cases(citizens)
    _datasets()
    _ppid(citizens[0])
    _news()
    _events()
    _wifi()
    _masterplan()
    _dashboard()
    return logins


def _wifi() -> None:
    from kotacerdas.wifi.demo import demo_hotspots, demo_usage

    demo_hotspots()
    demo_usage()


def _dashboard() -> None:
    # Last: the dashboard's rollups sum up everything loaded above.
    from kotacerdas.dashboard.actions import rollups_rebuild

    rollups_rebuild()


def _masterplan() -> None:
    from kotacerdas.masterplan.assessment_demo import demo_assessments
    from kotacerdas.masterplan.demo import demo_masterplan, demo_masterplan_figures

    demo_masterplan()
    demo_masterplan_figures()
    demo_assessments()


def _events() -> None:
    from kotacerdas.events.demo import demo_events

    demo_events()


def _news() -> None:
    from kotacerdas.information.demo import demo_news

    demo_news(User.objects.get(email="admin@pemkot.demo"))


def _ppid(citizen: User) -> None:
    from kotacerdas.information.demo import demo_ppid

    officer = User.objects.get(email="operator.diskominfotik@pemkot.demo")
    demo_ppid(citizen, officer)


def _datasets() -> None:
    from kotacerdas.opendata.demo import demo_datasets

    def producer_for(agency: Agency) -> User:
        return User.objects.filter(staff_membership__agency=agency).order_by("pk")[0]

    demo_datasets(producer_for, User.objects.get(email="walidata@pemkot.demo"))
