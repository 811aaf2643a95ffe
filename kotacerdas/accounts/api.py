from datetime import date, datetime

from django.http import HttpRequest
from django_otp import match_token
from ninja import Query, Router, Schema, Status
from ninja.security import HttpBearer

from kotacerdas.accounts import actions
from kotacerdas.accounts.errors import BAD_LOGIN, THROTTLED, AccountError
from kotacerdas.accounts.queries import login_is_throttled, user_by_identifier, user_for_token
from kotacerdas.cases.models import Status as CaseStatus
from kotacerdas.cases.queries import cases_of_citizen

router = Router(tags=["accounts"])


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class RegisterIn(Schema):
    name: str
    password: str
    email: str = ""
    phone: str = ""
    nik: str = ""
    language: str = "id"


class RegisterOut(Schema):
    name: str
    email: str | None
    phone: str | None
    verification_sent_to: str


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class TokenIn(Schema):
    email: str = ""
    phone: str = ""
    password: str
    otp: str = ""


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    name: str
    email: str | None
    phone: str | None
    email_verified: bool
    phone_verified: bool
    language: str
    channels: list[str]
    agency: str | None
    role: str | None


class MyCaseOut(Schema):
    tracking_code: str
    kind: str
    title: str
    status: str
    status_label: str
    agency: str
    submitted_at: datetime
    due_date: date
    waiting_on_you: bool


@router.post("/auth/register", response={201: RegisterOut, 400: ErrorOut}, summary="Daftar akun warga")
def register(request, data: RegisterIn):
    try:
        user = actions.user_register(
            name=data.name, password=data.password, email=data.email, phone=data.phone,
            nik=data.nik, language="en" if data.language == "en" else "id",
        )
    except AccountError as error:
        return Status(400, {"detail": str(error.message), "field": error.field})
    sent_to = "email" if user.email else "sms"
    return Status(201, {"name": user.name, "email": user.email, "phone": user.phone,
                 "verification_sent_to": sent_to})


@router.post("/auth/token", response={200: TokenOut, 401: ErrorOut, 429: ErrorOut},
             summary="Tukar e-mail/HP + kata sandi dengan token")
def token(request, data: TokenIn):
    identifier = data.email or data.phone
    ip = request.META.get("REMOTE_ADDR")
    if login_is_throttled(identifier, ip):
        return Status(429, {"detail": str(THROTTLED)})
    user = user_by_identifier(identifier)
    if user is None or not user.is_active or not user.check_password(data.password):
        actions.login_failed(identifier=identifier, ip=ip)
        return Status(401, {"detail": str(BAD_LOGIN)})
    if user.needs_two_factor and match_token(user, data.otp) is None:
        actions.login_failed(identifier=identifier, ip=ip)
        return Status(401, {"detail": "Akun staf wajib menyertakan kode OTP yang benar (otp). / "
                               "Staff accounts must include a valid OTP code.", "field": "otp"})
    actions.login_succeeded(user=user, identifier=identifier)
    return {"token": actions.token_create(user=user)}


@router.get("/me", response=MeOut, auth=BearerToken(), summary="Akun saya")
def me(request):
    user = request.auth
    membership = user.membership
    return {
        "name": user.name, "email": user.email, "phone": user.phone,
        "email_verified": user.email_verified, "phone_verified": user.phone_verified,
        "language": user.language, "channels": user.channels or [],
        "agency": membership.agency.code if membership else None,
        "role": membership.role if membership else None,
    }


@router.get("/me/cases", response=list[MyCaseOut], auth=BearerToken(), summary="Perkara saya")
def my_cases(request, limit: int = Query(50, ge=1, le=100), offset: int = Query(0, ge=0)):
    """Newest first, `limit` at a time (at most 100); `waiting_on_you` marks an application
    whose officer asked for a revision."""
    # Plain rows rather than model instances, and each label translated once per request
    # (get_status_display() translates every choice on each call): the same answer at a
    # third of the cost (benchmarks/services.py).
    labels = {value: str(label) for value, label in CaseStatus.choices}
    rows = cases_of_citizen(request.auth).values_list(
        "tracking_code", "kind", "title", "status", "agency__short_name", "submitted_at", "due_date",
        "paused_since",
    )[offset:offset + limit]
    return [
        {
            "tracking_code": code, "kind": kind, "title": title, "status": status,
            "status_label": labels.get(status, status), "agency": agency,
            "submitted_at": submitted_at, "due_date": due_date, "waiting_on_you": paused_since is not None,
        }
        for code, kind, title, status, agency, submitted_at, due_date, paused_since in rows
    ]
