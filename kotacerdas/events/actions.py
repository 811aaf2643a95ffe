"""Registration for an event, the waitlist, check-in at the door, reminders and materials.

Seats are counted while the event's row is locked (select_for_update; on SQLite the
IMMEDIATE transaction mode serialises writers), so two people taking the last seat at the
same moment cannot both get it: the second one waits for the first and then counts again.
Every change of a registration is a conditional update on the state it starts from.
"""

import secrets
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.audit.actions import audit_record
from kotacerdas.events.errors import EventError, EventInvalid
from kotacerdas.events.models import Event, Material, Registration
from kotacerdas.lib.trackcode import ALPHABET
from kotacerdas.lib.uploads import UploadRejected, clean_upload
from kotacerdas.notifications.actions import message_create

Status = Registration.Status

# The officer at the door may open the list a little before the event starts.
CHECK_IN_OPENS_BEFORE = timedelta(hours=2)
REMIND_BEFORE = timedelta(days=1)
MATERIAL_KINDS = ("pdf",)
MATERIAL_MAX = 20 * 1024 * 1024
CERTIFICATE_SYMBOLS = 12  # 29**12 ≈ 3.5e17: not worth guessing, still readable aloud


def new_ticket_code() -> str:
    return secrets.token_urlsafe(18)  # 144 random bits, 24 URL-safe characters


def new_certificate_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CERTIFICATE_SYMBOLS))
    return "-".join(raw[i:i + 4] for i in range(0, CERTIFICATE_SYMBOLS, 4))


def may_join(event: Event, user) -> bool:
    """Public events are for everyone with an account; closed ones for agency staff."""
    return event.is_public or getattr(user, "is_officer", False)


def registration_problem(event: Event, user, *, now: datetime | None = None):
    """Why this user cannot register now, or None."""
    now = now or timezone.now()
    if not event.registration:
        return _("Acara ini tidak memakai pendaftaran daring.")
    if not may_join(event, user):
        return _("Acara ini khusus untuk pegawai perangkat daerah.")
    if now >= event.closes_at:
        return _("Pendaftaran sudah ditutup.")
    return None


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _seats_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status=Status.REGISTERED).count()


@transaction.atomic
def registration_create(*, event: Event, user) -> Registration:
    """Register, or join the waitlist when the seats are taken. Registering again (a double
    tap, a retried connection) returns the registration already made."""
    event = _lock_event(event)
    existing = Registration.objects.filter(event=event, user=user).first()
    if existing is not None and existing.status != Status.CANCELLED:
        return existing
    problem = registration_problem(event, user)
    if problem is not None:
        raise EventError(problem)
    status = Status.REGISTERED if _seats_taken(event) < event.capacity else Status.WAITLISTED
    now = timezone.now()
    if existing is None:
        registration = Registration.objects.create(event=event, user=user, status=status,
                                                   ticket_code=new_ticket_code(), registered_at=now)
    else:
        # Coming back after cancelling: a new place at the end of the queue.
        registration = existing
        updated = Registration.objects.filter(pk=existing.pk, status=Status.CANCELLED).update(
            status=status, registered_at=now, cancelled_at=None, promoted_at=None, reminded_at=None,
        )
        if not updated:  # pragma: no cover - the event lock makes this unreachable
            raise EventError()
        registration.refresh_from_db()
    audit_record(actor=user, action="event.register", obj=registration, after={"status": status})
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor) -> Registration:
    """Give the seat back; the first on the waitlist gets it, in the same transaction."""
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Status.CANCELLED:
        return registration
    if registration.checked_in_at is not None:
        raise EventError(_("Kehadiran Anda sudah dicatat; pendaftaran tidak dapat dibatalkan."))
    if timezone.now() >= event.starts_at:
        raise EventError(_("Acara sudah dimulai; pendaftaran tidak dapat dibatalkan lagi."))
    before = registration.status
    updated = Registration.objects.filter(pk=registration.pk, status=before).update(
        status=Status.CANCELLED, cancelled_at=timezone.now(),
    )
    if not updated:  # pragma: no cover - the row lock makes this unreachable
        raise EventError()
    registration.refresh_from_db()
    audit_record(actor=actor, action="event.cancel", obj=registration,
                 before={"status": before}, after={"status": registration.status})
    if before == Status.REGISTERED:
        waitlist_promote(event=event)
    return registration


def waitlist_promote(*, event: Event) -> list[Registration]:
    """Fill free seats from the waitlist, first come first served. Call with the event's row
    locked (registration_cancel does; so does the admin when capacity grows)."""
    assert transaction.get_connection().in_atomic_block, "promotion belongs inside the action"
    free = event.capacity - _seats_taken(event)
    if free <= 0:
        return []
    promoted = []
    waiting = Registration.objects.filter(event=event, status=Status.WAITLISTED).select_related("user")
    for registration in waiting.order_by("registered_at", "pk")[:free]:
        updated = Registration.objects.filter(pk=registration.pk, status=Status.WAITLISTED).update(
            status=Status.REGISTERED, promoted_at=timezone.now(),
        )
        if not updated:  # pragma: no cover - the event lock makes this unreachable
            continue
        registration.status = Status.REGISTERED
        audit_record(actor=None, action="event.promote", obj=registration,
                     before={"status": Status.WAITLISTED}, after={"status": Status.REGISTERED})
        message_create(user=registration.user, template="event_promoted", context={"event": event})
        promoted.append(registration)
    return promoted


@transaction.atomic
def event_fill_seats(*, event: Event, actor) -> list[Registration]:
    """After the organiser raises the capacity: move people up from the waitlist."""
    event = _lock_event(event)
    promoted = waitlist_promote(event=event)
    if promoted:
        audit_record(actor=actor, action="event.fill_seats", obj=event, after={"promoted": len(promoted)})
    return promoted


@transaction.atomic
def registration_check_in(*, registration: Registration, actor) -> tuple[Registration, bool]:
    """Record that the participant came. Scanning the ticket twice is harmless: the second
    scan returns the first time, and False."""
    event = registration.event
    membership = getattr(actor, "membership", None)
    if membership is None or membership.agency_id != event.agency_id:
        raise EventError(_("Hanya petugas penyelenggara yang dapat mencatat kehadiran."))
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.checked_in_at is not None:
        return registration, False
    if registration.status != Status.REGISTERED:
        raise EventError(_("Tiket ini tidak berlaku: peserta masih di daftar tunggu atau sudah membatalkan."))
    now = timezone.now()
    if now < event.starts_at - CHECK_IN_OPENS_BEFORE:
        raise EventError(_("Pencatatan kehadiran dibuka dua jam sebelum acara dimulai."))
    if now > event.ends_at:
        raise EventError(_("Acara sudah selesai; kehadiran tidak dapat dicatat lagi."))
    code = new_certificate_code() if event.certificate else ""
    updated = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
        checked_in_at=now, checked_in_by=actor, certificate_code=code,
    )
    if not updated:  # pragma: no cover - the row lock makes this unreachable
        registration.refresh_from_db()
        return registration, False
    registration.refresh_from_db()
    audit_record(actor=actor, action="event.check_in", obj=registration,
                 after={"checked_in_at": registration.checked_in_at})
    return registration, True


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Queue one reminder to each registered participant of the events starting within a
    day. Run every hour; reminded_at makes sure nobody hears twice."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Status.REGISTERED, reminded_at__isnull=True, checked_in_at__isnull=True,
        event__starts_at__gt=now, event__starts_at__lte=now + REMIND_BEFORE,
    ).select_related("event", "user")
    sent = 0
    for registration in due:
        with transaction.atomic():
            won = Registration.objects.filter(
                pk=registration.pk, status=Status.REGISTERED, reminded_at__isnull=True,
            ).update(reminded_at=now)
            if won:
                message_create(user=registration.user, template="event_reminder",
                               context={"event": registration.event, "registration": registration})
                sent += 1
    return sent


@transaction.atomic
def material_add(*, event: Event, actor, title: str, upload) -> Material:
    """Attach a PDF handout for the participants."""
    errors: dict[str, object] = {}
    if not title.strip():
        errors["title"] = _("Tuliskan judul materi.")
    clean = None
    if upload is None:
        errors["file"] = _("Pilih berkas PDF materi.")
    else:
        try:
            clean = clean_upload(upload, accept=MATERIAL_KINDS, max_bytes=MATERIAL_MAX)
        except UploadRejected as rejected:
            errors["file"] = rejected.message
    if errors or clean is None:
        raise EventInvalid(errors)
    material = Material(event=event, title=title.strip()[:200], name=clean.name,
                        content_type=clean.content_type, size=clean.size)
    material.file.save(clean.name, ContentFile(clean.content), save=False)
    material.save()
    audit_record(actor=actor, action="event.material", obj=material, after={"title": material.title})
    return material


@transaction.atomic
def event_save(*, event: Event, actor, changed: list[str] | None = None) -> Event:
    """Create or change an event (from the admin): audited like every other step, and the
    site-wide search learns about it once the change is committed."""
    created = event.pk is None
    event.save()
    audit_record(actor=actor, action="event.create" if created else "event.update", obj=event,
                 after={name: getattr(event, name, None) for name in (changed or ["title"])})
    event_id = event.pk
    transaction.on_commit(lambda: _search_sync(event_id))
    return event


def _search_sync(event_id: int) -> None:
    from kotacerdas.events.queries import search_documents
    from kotacerdas.search.actions import entry_drop, entry_put

    documents = list(search_documents(Event.objects.filter(pk=event_id, is_public=True)))
    for document in documents:
        entry_put(document)
    if not documents:
        entry_drop(f"event:{event_id}")
