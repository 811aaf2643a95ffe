import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def hash_secret(raw: str) -> str:
    """Tokens, keys and codes are stored as SHA-256 digests: a leaked table logs no one in."""
    return hashlib.sha256(raw.encode()).hexdigest()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email=None, password=None, **fields):
        email = self.normalize_email(email) or None
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password, **fields):
        fields.update(is_staff=True, is_superuser=True, email_verified=True)
        fields.setdefault("name", "Administrator")
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A resident or a staff member. Logs in with e-mail or phone number."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")

    name = models.CharField(_("nama"), max_length=150)
    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, unique=True, null=True, blank=True)
    email_verified = models.BooleanField(_("e-mail terverifikasi"), default=False)
    phone_verified = models.BooleanField(_("nomor HP terverifikasi"), default=False)
    language = models.CharField(_("bahasa"), max_length=5, default="id")
    channels = models.JSONField(
        _("saluran notifikasi"), default=list, blank=True,
        help_text=_("Saluran yang dipilih pengguna: email, sms, whatsapp."),
    )
    is_staff = models.BooleanField(_("akses admin"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    date_joined = models.DateTimeField(_("tanggal daftar"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = pgettext_lazy("plural", "pengguna")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False),
                name="user_has_email_or_phone",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0]

    @property
    def membership(self) -> "Membership | None":
        try:
            return self.staff_membership
        except Membership.DoesNotExist:
            return None

    @property
    def is_officer(self) -> bool:
        return self.membership is not None

    @property
    def needs_two_factor(self) -> bool:
        return self.is_officer or self.is_staff or self.is_superuser


class CitizenProfile(models.Model):
    """Personal data of a resident (UU PDP): never shown on public pages, APIs or logs."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen")
    nik = models.CharField(_("NIK"), max_length=16, unique=True, null=True, blank=True)
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    kelurahan = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True,
        verbose_name=_("kelurahan"),
    )

    class Meta:
        verbose_name = _("profil warga")
        verbose_name_plural = pgettext_lazy("plural", "profil warga")

    def __str__(self) -> str:
        return str(self.user)


class Membership(models.Model):
    """A staff member's place: one agency and one role."""

    class Role(models.TextChoices):
        OPERATOR = "operator", _("Operator")
        VERIFIKATOR = "verifikator", _("Verifikator")
        KEPALA = "kepala", _("Kepala")
        ADMIN = "admin", _("Admin")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff_membership")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="members",
        verbose_name=_("perangkat daerah"),
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("keanggotaan staf")
        verbose_name_plural = pgettext_lazy("plural", "keanggotaan staf")

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"


class VerificationCode(models.Model):
    """A six-digit code sent to an e-mail address or phone: to verify it, reset a password or
    sign in without one."""

    class Purpose(models.TextChoices):
        VERIFY = "verify", _("Verifikasi")
        RESET = "reset", _("Atur ulang kata sandi")
        SIGNIN = "signin", _("Masuk dengan kode")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="codes")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    channel = models.CharField(max_length=10, choices=User.Channel.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} code for user {self.user_id}"


class LoginFailure(models.Model):
    """Failed logins, counted per identifier and per IP to throttle password guessing."""

    identifier = models.CharField(max_length=64, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"failed login at {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A resident's or officer's bearer token for /api/v1/."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token of user {self.user_id}"

    @staticmethod
    def new_raw() -> str:
        return "kct_" + secrets.token_urlsafe(32)


class ApiKey(models.Model):
    """A partner system's key (Open311 and CKAN clients, routers)."""

    name = models.CharField(_("nama"), max_length=100, unique=True)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kunci API")
        verbose_name_plural = pgettext_lazy("plural", "kunci API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_raw() -> str:
        return "kck_" + secrets.token_urlsafe(32)
