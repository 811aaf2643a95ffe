import secrets
from base64 import b32encode
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kotacerdas.accounts import actions
from kotacerdas.accounts.errors import BAD_CODE, BAD_LOGIN, CODE_REQUESTS_THROTTLED, THROTTLED, AccountError
from kotacerdas.accounts.forms import (
    CodeForm,
    LoginForm,
    OTPForm,
    PreferencesForm,
    QuickSigninCodeForm,
    QuickSigninForm,
    RegisterForm,
    ResetConfirmForm,
    ResetRequestForm,
)
from kotacerdas.accounts.http import AuthenticatedHttpRequest
from kotacerdas.accounts.models import User, VerificationCode
from kotacerdas.accounts.queries import code_requests_throttled, login_is_throttled, user_by_identifier
from kotacerdas.lib.qr import qr_svg

PENDING_2FA = "pending_2fa_user"
PENDING_CODE_SIGNIN = "pending_code_signin"
BACKEND = "kotacerdas.accounts.backends.EmailOrPhoneBackend"


def _is_local(request: HttpRequest, target: str) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())


def _safe_next(request: HttpRequest, default: str = "portal:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if _is_local(request, target) else default


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        ip = request.META.get("REMOTE_ADDR")
        user = None
        if login_is_throttled(identifier, ip):
            form.add_error(None, THROTTLED)
        else:
            user = user_by_identifier(identifier)
            if user is None or not user.is_active or not user.check_password(form.cleaned_data["password"]):
                actions.login_failed(identifier=identifier, ip=ip)
                form.add_error(None, BAD_LOGIN)
                user = None
        if user is not None and user.needs_two_factor:
            request.session[PENDING_2FA] = {"user": user.pk, "identifier": identifier}
            return redirect(f"{reverse('accounts:two_factor')}?next={_safe_next(request, '')}")
        if user is not None:
            login(request, user, backend=BACKEND)
            actions.login_succeeded(user=user, identifier=identifier)
            return redirect(_safe_next(request))
    next_url = _safe_next(request, "")
    # Residents sent here by the report form learn that reporting needs no account.
    reporting = urlsplit(next_url).path.startswith(reverse("reports:map"))
    return render(request, "accounts/login.html", {"form": form, "next": next_url, "reporting": reporting})


def _request_signin_code(request: HttpRequest, *, name: str, contact: str) -> User:
    # Throttled as login is: by the address typed (failed codes count as failed logins) and
    # by the network address, which also caps codes sent to other people's numbers.
    ip = request.META.get("REMOTE_ADDR")
    if login_is_throttled(contact, ip):
        raise AccountError(THROTTLED)
    if code_requests_throttled(ip):
        raise AccountError(CODE_REQUESTS_THROTTLED)
    return actions.quick_signin_request(name=name, contact=contact, language=request.LANGUAGE_CODE)


def quick_signin(request: HttpRequest) -> HttpResponse:
    """Sign in without a password, by a code sent to an e-mail address or phone. An address
    without an account gets a resident account, so reporting needs no registration first."""
    next_url = _safe_next(request, "")
    if request.user.is_authenticated:
        return redirect(next_url or "cases:mine")
    form = QuickSigninForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["contact"]
        try:
            user = _request_signin_code(request, name=form.cleaned_data["name"], contact=contact)
        except AccountError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            # The address is kept in the session on the server, never in a URL.
            request.session[PENDING_CODE_SIGNIN] = {"user": user.pk, "contact": contact, "next": next_url}
            return redirect("accounts:quick_signin_confirm")
    return render(request, "accounts/quick_signin.html", {"form": form, "next": next_url})


def quick_signin_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_CODE_SIGNIN)
    user = User.objects.filter(pk=pending["user"]).first() if pending else None
    if pending is None or user is None:
        request.session.pop(PENDING_CODE_SIGNIN, None)
        return redirect("accounts:quick_signin")
    contact = pending["contact"]
    if request.method == "POST" and request.POST.get("resend"):
        try:
            _request_signin_code(request, name=user.name, contact=contact)
        except AccountError as error:
            messages.error(request, error.message)
        else:
            messages.info(request, _("Kode baru sudah dikirim."))
        return redirect("accounts:quick_signin_confirm")
    form = QuickSigninCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = request.META.get("REMOTE_ADDR")
        try:
            # Each code allows five tries; wrong codes also count as failed logins, so asking
            # for code after code cannot turn into guessing one.
            if login_is_throttled(contact, ip):
                raise AccountError(THROTTLED)
            actions.quick_signin_confirm(user=user, raw_code=form.cleaned_data["code"])
        except AccountError as error:
            if error.field == "code":
                actions.login_failed(identifier=contact, ip=ip)
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            del request.session[PENDING_CODE_SIGNIN]
            login(request, user, backend=BACKEND)
            actions.login_succeeded(user=user, identifier=contact)
            messages.success(request, _("Anda sudah masuk."))
            return redirect(pending["next"] if _is_local(request, pending["next"]) else "cases:mine")
    sent_to = user.email if "@" in contact else user.phone
    return render(request, "accounts/quick_signin_confirm.html",
                  {"form": form, "sent_to": _mask(sent_to), "next": pending["next"]})


def _device_for(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="kotacerdas", confirmed=False)


def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step for staff: a TOTP code. First-time staff set up their app here."""
    pending = request.session.get(PENDING_2FA)
    if not pending:
        return redirect("accounts:login")
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    device = _device_for(user)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp"].strip()):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            del request.session[PENDING_2FA]
            login(request, user, backend=BACKEND)
            otp_login(request, device)
            actions.login_succeeded(user=user, identifier=pending["identifier"])
            return redirect(_safe_next(request, "cases:inbox"))
        actions.login_failed(identifier=pending["identifier"], ip=request.META.get("REMOTE_ADDR"))
        form.add_error("otp", _("Kode salah atau kedaluwarsa. Masukkan kode terbaru dari aplikasi."))
    context = {"form": form, "setup": not device.confirmed, "next": _safe_next(request, "")}
    if not device.confirmed:
        context["qr"] = qr_svg(device.config_url)
        context["secret"] = _base32(device.bin_key)
    return render(request, "accounts/two_factor.html", context)


def _base32(key: bytes) -> str:
    return b32encode(key).decode()


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")


def register(request: HttpRequest) -> HttpResponse:
    # A double tap or a retried POST carries the same submission token: the account made by
    # the first one is used instead of reporting "already registered". Checked before the
    # logged-in redirect, because the first POST already logged the resident in.
    token = request.POST.get("submission", "") if request.method == "POST" else ""
    done = request.session.get("registered", {})
    if token and token in done:
        user = User.objects.get(pk=done[token])
        login(request, user, backend=BACKEND)
        return redirect("accounts:verify")
    if request.user.is_authenticated:
        return redirect("cases:mine")
    form = RegisterForm(request.POST or None, initial={"submission": secrets.token_urlsafe(16)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.user_register(
                name=data["name"], email=data["email"], phone=data["phone"], nik=data["nik"],
                password=data["password"], language=request.LANGUAGE_CODE,
            )
        except AccountError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            login(request, user, backend=BACKEND)
            request.session["registered"] = {**done, token: user.pk}
            messages.success(request, _("Akun dibuat. Kami mengirim kode verifikasi."))
            return redirect("accounts:verify")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = CodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("resend"):
        try:
            actions.code_send(user=user, purpose=VerificationCode.Purpose.VERIFY)
        except AccountError as error:
            messages.error(request, error.message)
        else:
            messages.info(request, _("Kode baru sudah dikirim."))
        return redirect("accounts:verify")
    if request.method == "POST" and form.is_valid():
        try:
            actions.code_verify(user=user, raw=form.cleaned_data["code"])
        except AccountError as error:
            form.add_error("code", error.message)
        else:
            messages.success(request, _("Terima kasih, kontak Anda sudah terverifikasi."))
            return redirect("cases:mine")
    sent_to = user.email if user.email else user.phone
    return render(request, "accounts/verify.html", {"form": form, "sent_to": _mask(sent_to)})


def _mask(address: str | None) -> str:
    if not address:
        return ""
    if "@" in address:
        name, domain = address.split("@", 1)
        return f"{name[:2]}***@{domain}"
    return f"{address[:5]}****{address[-3:]}"


def reset_request(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        actions.password_reset_request(user=user_by_identifier(identifier))
        request.session["reset_identifier"] = identifier
        messages.info(request, _("Jika akun terdaftar, kode untuk mengatur ulang kata sandi sudah dikirim."))
        return redirect("accounts:reset_confirm")
    return render(request, "accounts/reset_request.html", {"form": form})


def reset_confirm(request: HttpRequest) -> HttpResponse:
    identifier = request.session.get("reset_identifier")
    if not identifier:
        return redirect("accounts:reset")
    form = ResetConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = request.META.get("REMOTE_ADDR")
        user = user_by_identifier(identifier)
        try:
            # Each new code allows five tries; wrong codes also count as failed logins so
            # that asking for code after code cannot turn into guessing someone's account.
            if login_is_throttled(identifier, ip):
                raise AccountError(THROTTLED)
            if user is None:  # the same answer as a wrong code: accounts can't be probed
                raise AccountError(BAD_CODE, "code")
            actions.password_reset_confirm(
                user=user, raw=form.cleaned_data["code"], password=form.cleaned_data["password"]
            )
        except AccountError as error:
            if error.field == "code":
                actions.login_failed(identifier=identifier, ip=ip)
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            del request.session["reset_identifier"]
            messages.success(request, _("Kata sandi sudah diganti. Silakan masuk."))
            return redirect("accounts:login")
    return render(request, "accounts/reset_confirm.html", {"form": form})


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(
        request.POST or None, initial={"language": user.language, "channels": user.channels}
    )
    if request.method == "POST" and form.is_valid():
        actions.user_update_preferences(
            user=user, language=form.cleaned_data["language"], channels=form.cleaned_data["channels"]
        )
        messages.success(request, _("Preferensi disimpan."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "membership": user.membership})
