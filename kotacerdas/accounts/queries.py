import hashlib
import hmac
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from kotacerdas.accounts.models import ApiKey, ApiToken, LoginFailure, Membership, User, hash_secret
from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.phone import PhoneError, normalize_phone


def user_by_identifier(identifier: str) -> User | None:
    """Find an account by e-mail address or phone number, however the phone was typed."""
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return User.objects.filter(email__iexact=identifier).first()
    try:
        phone = normalize_phone(identifier)
    except PhoneError:
        return None
    return User.objects.filter(phone=phone).first()


def throttle_key(identifier: str) -> str:
    # One phone, one counter: "0812-3456-7890" and "+62 812 3456 7890" log into the same
    # account, so retyping the number another way must not start a fresh count.
    identifier = (identifier or "").strip().lower()
    if "@" not in identifier:
        with suppress(PhoneError):
            identifier = normalize_phone(identifier)
    # A keyed digest, so the throttle table holds no e-mail addresses or phone numbers, and
    # the few hundred million Indonesian phone numbers cannot be tried against it offline.
    return hmac.new(settings.SECRET_KEY.encode(), identifier.encode(), hashlib.sha256).hexdigest()


def login_is_throttled(identifier: str, ip: str | None) -> bool:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.LOGIN_FAILURE_LIMIT
    if recent.filter(identifier=throttle_key(identifier)).count() >= limit:
        return True
    # An address guessing many accounts is stopped too, with more room for shared NAT.
    return bool(ip) and recent.filter(ip=ip).count() >= limit * 4


def code_requests_throttled(ip: str | None) -> bool:
    """Sign-in codes go to any address typed in, so one machine could send codes (and SMS
    bills) to thousands of numbers; the per-account hourly cap does not see that. Counted
    from the audit rows of code requests, with the generous per-address room login gives,
    since many residents share one mobile-network address."""
    if not ip:
        return False
    since = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    requests = AuditEntry.objects.filter(action="quick_signin_request", ip=ip, at__gte=since)
    return requests.count() >= settings.LOGIN_FAILURE_LIMIT * 4


def user_for_token(raw: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_secret(raw)).first()
    if token is None or not token.user.is_active:
        return None
    return token.user


def api_key_valid(raw: str) -> ApiKey | None:
    return ApiKey.objects.filter(key_hash=hash_secret(raw), revoked_at__isnull=True).first()


def staff_of(agency):
    return User.objects.filter(staff_membership__agency=agency, is_active=True).order_by("name")


def agency_heads():
    """Active heads (role kepala) of every agency, with their agency."""
    return (
        User.objects.filter(staff_membership__role=Membership.Role.KEPALA, is_active=True)
        .select_related("staff_membership__agency")
        .order_by("pk")
    )
