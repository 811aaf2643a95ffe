import contextlib
import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.errors import (
    BAD_CODE,
    BAD_EMAIL,
    INACTIVE,
    STAFF_NO_CODE_SIGNIN,
    UNPROVEN_CONTACT,
    AccountError,
)
from kotacerdas.accounts.models import (
    ApiKey,
    ApiToken,
    CitizenProfile,
    LoginFailure,
    Membership,
    User,
    VerificationCode,
    hash_secret,
)
from kotacerdas.accounts.queries import throttle_key
from kotacerdas.audit.actions import audit_record
from kotacerdas.lib.nik import NIKError, parse_nik
from kotacerdas.lib.phone import PhoneError, normalize_phone
from kotacerdas.notifications.actions import message_create

CODE_LIFETIME = timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5
# Each code allows five tries; capping codes per hour caps guesses and SMS costs too.
CODES_PER_HOUR = 5
# Hashing a megabyte-long password with argon2 is an easy way to tie up a server.
MAX_PASSWORD_LENGTH = 1000
CODE_TEMPLATES = {
    VerificationCode.Purpose.VERIFY: "verification_code",
    VerificationCode.Purpose.RESET: "password_reset_code",
    VerificationCode.Purpose.SIGNIN: "signin_code",
}


def clean_registration(*, name: str, email: str, phone: str, nik: str) -> dict:
    """Normalise and check registration fields; raise AccountError naming the field."""
    name = " ".join((name or "").split())
    if not name:
        raise AccountError(_("Nama wajib diisi."), "name")
    # The API has no form to cap lengths, and PostgreSQL would refuse the row with a 500.
    if len(name) > 150:
        raise AccountError(_("Nama terlalu panjang (maksimal 150 karakter)."), "name")
    if len((email or "").strip()) > 254:
        raise AccountError(_("Alamat e-mail terlalu panjang (maksimal 254 karakter)."), "email")
    clean_email = (email or "").strip().lower() or None
    clean_phone = (phone or "").strip() or None
    clean_nik = (nik or "").strip() or None
    if not clean_email and not clean_phone:
        raise AccountError(_("Isi e-mail atau nomor HP (salah satu atau keduanya)."), "email")
    if clean_phone:
        try:
            clean_phone = normalize_phone(clean_phone)
        except PhoneError as error:
            raise AccountError(error.message, "phone") from error
    if clean_nik:
        try:
            clean_nik = parse_nik(clean_nik).value
        except NIKError as error:
            raise AccountError(error.message, "nik") from error
    if clean_email and User.objects.filter(email__iexact=clean_email).exists():
        raise AccountError(_("E-mail ini sudah terdaftar. Silakan masuk."), "email")
    if clean_phone and User.objects.filter(phone=clean_phone).exists():
        raise AccountError(_("Nomor HP ini sudah terdaftar. Silakan masuk."), "phone")
    if clean_nik and CitizenProfile.objects.filter(nik=clean_nik).exists():
        raise AccountError(_("NIK ini sudah terdaftar pada akun lain."), "nik")
    return {"name": name, "email": clean_email, "phone": clean_phone, "nik": clean_nik}


@transaction.atomic
def user_register(
    *, name: str, password: str, email: str = "", phone: str = "", nik: str = "", language: str = "id"
) -> User:
    """Create a resident account and send a verification code to its e-mail or phone."""
    fields = clean_registration(name=name, email=email, phone=phone, nik=nik)
    user = User(name=fields["name"], email=fields["email"], phone=fields["phone"], language=language)
    if len(password or "") > MAX_PASSWORD_LENGTH:
        raise AccountError(_("Kata sandi terlalu panjang (maksimal 1000 karakter)."), "password")
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages), "password") from error
    user.set_password(password)
    user.channels = ["email"] if user.email else ["sms"]
    try:
        with transaction.atomic():
            user.save()
            CitizenProfile.objects.create(user=user, nik=fields["nik"])
    except IntegrityError as error:  # a double submit racing its twin
        raise AccountError(_("Akun ini sudah terdaftar. Silakan masuk."), "email") from error
    audit_record(actor=user, action="user_register", obj=user,
                 after={"email": bool(user.email), "phone": bool(user.phone), "nik": bool(fields["nik"])})
    code_send(user=user, purpose=VerificationCode.Purpose.VERIFY)
    return user


def _channel_for(user: User) -> str:
    return "email" if user.email else "sms"


@transaction.atomic
def code_send(*, user: User, purpose: str, channel: str | None = None) -> VerificationCode:
    """Send a fresh six-digit code; earlier unused codes for the same purpose stop working."""
    channel = channel or _channel_for(user)
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    recent = VerificationCode.objects.filter(user=user, purpose=purpose, created_at__gte=hour_ago)
    if recent.count() >= CODES_PER_HOUR:
        raise AccountError(_("Terlalu banyak permintaan kode. Coba lagi dalam satu jam."), "code")
    VerificationCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=now)
    raw = f"{secrets.randbelow(10**6):06d}"
    code = VerificationCode.objects.create(
        user=user, purpose=purpose, channel=channel, code_hash=hash_secret(raw),
        expires_at=now + CODE_LIFETIME,
    )
    message_create(user=user, template=CODE_TEMPLATES[VerificationCode.Purpose(purpose)],
                   context={"code": raw, "minutes": 15}, channels=[channel])
    return code


def _consume_code(user: User, purpose: str, raw: str) -> VerificationCode:
    now = timezone.now()
    code = (
        VerificationCode.objects.select_for_update()
        .filter(user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if code is None or code.attempts >= CODE_MAX_ATTEMPTS:
        raise AccountError(BAD_CODE, "code")
    if not secrets.compare_digest(code.code_hash, hash_secret((raw or "").strip())):
        VerificationCode.objects.filter(pk=code.pk).update(attempts=code.attempts + 1)
        raise AccountError(BAD_CODE, "code")
    VerificationCode.objects.filter(pk=code.pk).update(used_at=now)
    return code


def code_verify(*, user: User, raw: str) -> User:
    """Mark the e-mail or phone the code was sent to as verified."""
    with transaction.atomic():
        try:
            code = _consume_code(user, VerificationCode.Purpose.VERIFY, raw)
        except AccountError:
            code = None
        if code is not None:
            field = "email_verified" if code.channel == "email" else "phone_verified"
            setattr(user, field, True)
            user.save(update_fields=[field])
            audit_record(actor=user, action="user_verify", obj=user, after={field: True})
            return user
    # Outside the atomic block: the failed attempt counter must survive the error.
    raise AccountError(BAD_CODE, "code")


def clean_contact(contact: str) -> tuple[str, str]:
    """Split what a resident typed into ("email", address) or ("phone", E.164 number)."""
    contact = (contact or "").strip()
    if "@" in contact:
        email = contact.lower()
        if len(email) > 254:
            raise AccountError(BAD_EMAIL, "contact")
        try:
            validate_email(email)
        except ValidationError:
            raise AccountError(BAD_EMAIL, "contact") from None
        return "email", email
    try:
        return "phone", normalize_phone(contact)
    except PhoneError as error:
        raise AccountError(error.message, "contact") from error


def _may_sign_in_by_code(user: User, field: str) -> bool:
    """Whether a code to the address in `field` may open this account.

    A verified address may. An address nobody has proven may open only an account nobody has
    claimed yet (no verified address, no password): otherwise whoever registered with someone
    else's address, or mistyped their own, would get into the account of its real owner, or
    that owner into theirs.
    """
    return getattr(user, f"{field}_verified") or _unclaimed(user)


def _unclaimed(user: User) -> bool:
    return not (user.email_verified or user.phone_verified or user.has_usable_password())


def _refuse_code_signin(user: User, field: str) -> None:
    # Staff accounts open case files: they always need their password and TOTP app.
    if user.needs_two_factor:
        raise AccountError(STAFF_NO_CODE_SIGNIN)
    if not user.is_active:
        raise AccountError(INACTIVE)
    if not _may_sign_in_by_code(user, field):
        raise AccountError(UNPROVEN_CONTACT, "contact")


@transaction.atomic
def quick_signin_request(*, name: str, contact: str, language: str = "id") -> User:
    """Send a sign-in code to an e-mail address or phone, making a resident account for it
    (without a password) when there is none. Raises AccountError for staff accounts, invalid
    input and too many codes."""
    field, address = clean_contact(contact)
    name = " ".join((name or "").split())
    if not name:
        raise AccountError(_("Nama wajib diisi."), "name")
    if len(name) > 150:
        raise AccountError(_("Nama terlalu panjang (maksimal 150 karakter)."), "name")
    channel = "email" if field == "email" else "sms"
    lookup = {"email__iexact": address} if field == "email" else {"phone": address}
    user = User.objects.filter(**lookup).first()
    created = user is None
    if user is None:
        user = User(name=name, language=language, channels=[channel])
        setattr(user, field, address)
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
                CitizenProfile.objects.create(user=user)
        except IntegrityError:  # the same request twice at once: the twin made the account
            user = User.objects.get(**lookup)
            created = False
    _refuse_code_signin(user, field)
    if not created and _unclaimed(user) and user.name != name:
        # Nobody has proven this address yet (perhaps someone mistyped theirs): the account
        # takes the name of whoever asks now, and is theirs once they type the code.
        user.name = name
        user.save(update_fields=["name"])
    audit_record(actor=user, action="quick_signin_request", obj=user,
                 after={"channel": field, "new_account": created})
    code_send(user=user, purpose=VerificationCode.Purpose.SIGNIN, channel=channel)
    return user


def quick_signin_confirm(*, user: User, raw_code: str) -> User:
    """Check a sign-in code; the address it went to is then verified. The caller logs the
    user in. Raises AccountError (field "code") for a wrong, used or expired code."""
    with transaction.atomic():
        try:
            code = _consume_code(user, VerificationCode.Purpose.SIGNIN, raw_code)
        except AccountError:
            code = None
        if code is not None:
            field = "email" if code.channel == "email" else "phone"
            # Checked again: the account may have changed since the code was sent.
            _refuse_code_signin(user, field)
            setattr(user, f"{field}_verified", True)
            user.save(update_fields=[f"{field}_verified"])
            audit_record(actor=user, action="quick_signin", obj=user, after={f"{field}_verified": True})
            return user
    # Outside the atomic block: the failed attempt counter must survive the error.
    raise AccountError(BAD_CODE, "code")


def password_reset_request(*, user: User | None) -> None:
    """Send a reset code. Unknown identifiers get the same answer, so accounts can't be probed."""
    if user is not None and user.is_active:
        with contextlib.suppress(AccountError):  # too many codes: same answer, nothing sent
            code_send(user=user, purpose=VerificationCode.Purpose.RESET)


def password_reset_confirm(*, user: User, raw: str, password: str) -> User:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages), "password") from error
    with transaction.atomic():
        try:
            code = _consume_code(user, VerificationCode.Purpose.RESET, raw)
        except AccountError:
            code = None
        if code is not None:
            user.set_password(password)
            # The code reached this address, so it is verified as well.
            field = "email_verified" if code.channel == "email" else "phone_verified"
            setattr(user, field, True)
            user.save(update_fields=["password", field])
            ApiToken.objects.filter(user=user).delete()
            audit_record(actor=user, action="password_reset", obj=user)
            return user
    raise AccountError(BAD_CODE, "code")


def login_failed(*, identifier: str, ip: str | None) -> None:
    LoginFailure.objects.create(identifier=throttle_key(identifier), ip=ip or None)


@transaction.atomic
def login_succeeded(*, user: User, identifier: str) -> None:
    LoginFailure.objects.filter(identifier=throttle_key(identifier)).delete()
    audit_record(actor=user, action="user_login", obj=user)


@transaction.atomic
def token_create(*, user: User) -> str:
    raw = ApiToken.new_raw()
    ApiToken.objects.create(user=user, token_hash=hash_secret(raw))
    audit_record(actor=user, action="token_create", obj=user)
    return raw


@transaction.atomic
def api_key_create(*, name: str, actor=None) -> str:
    """A partner system's key; only its digest is stored, so it is shown once."""
    raw = ApiKey.new_raw()
    key = ApiKey.objects.create(name=name, prefix=raw[:10], key_hash=hash_secret(raw))
    audit_record(actor=actor, action="api_key_create", obj=key, after={"name": name})
    return raw


@transaction.atomic
def staff_create(
    *, name: str, email: str, password: str, agency, role: str, actor=None, phone: str | None = None
) -> User:
    user = User.objects.create_user(email=email, password=password, name=name, phone=phone,
                                    email_verified=True, channels=["email"])
    Membership.objects.create(user=user, agency=agency, role=role)
    audit_record(actor=actor, action="staff_create", obj=user, after={"agency": agency.pk, "role": role})
    return user


@transaction.atomic
def user_update_preferences(*, user: User, language: str, channels: list[str]) -> User:
    before = {"language": user.language, "channels": ",".join(user.channels or [])}
    user.language = language
    user.channels = channels
    user.save(update_fields=["language", "channels"])
    audit_record(actor=user, action="user_preferences", obj=user, before=before,
                 after={"language": language, "channels": ",".join(channels)})
    return user


@transaction.atomic
def citizen_set_nik(*, user: User, nik: str) -> CitizenProfile:
    """Record a resident's NIK, once: a service that needs it asks for it on the spot.
    Raises AccountError (field "nik") when it is wrong or belongs to another account."""
    try:
        clean = parse_nik(nik).value
    except NIKError as error:
        raise AccountError(error.message, "nik") from error
    profile, _created = CitizenProfile.objects.select_for_update().get_or_create(user=user)
    if profile.nik == clean:
        return profile
    if profile.nik:
        raise AccountError(_("NIK sudah tercatat di akun Anda; hubungi petugas untuk mengubahnya."), "nik")
    if CitizenProfile.objects.filter(nik=clean).exists():
        raise AccountError(_("NIK ini sudah terdaftar pada akun lain."), "nik")
    profile.nik = clean
    try:
        with transaction.atomic():
            profile.save(update_fields=["nik"])
    except IntegrityError:  # registered elsewhere at the same moment
        raise AccountError(_("NIK ini sudah terdaftar pada akun lain."), "nik") from None
    # The audit row says that the NIK was set, not what it is.
    audit_record(actor=user, action="citizen_set_nik", obj=profile, after={"nik_set": True})
    return profile
