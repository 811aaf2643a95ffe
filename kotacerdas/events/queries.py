"""Reads of the agenda. Every event or registration a view touches comes through here, and
each helper knows who may see it."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kotacerdas.events.models import Event, Material, Registration

Status = Registration.Status


def _visible(user) -> QuerySet[Event]:
    events = Event.objects.select_related("agency")
    if getattr(user, "is_officer", False):
        return events
    return events.filter(is_public=True)


def events_upcoming(user) -> QuerySet[Event]:
    """Events not yet over, soonest first."""
    return _visible(user).filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")


def events_past(user, *, limit: int = 30) -> QuerySet[Event]:
    return _visible(user).filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")[:limit]


def event_for_user(user, slug: str) -> Event:
    """An event page: public events for everyone, closed ones for agency staff."""
    event = _visible(user).filter(slug=slug).first()
    if event is None:
        raise Http404
    return event


def event_for_staff(user, slug: str) -> Event:
    """The organising agency's view of its event; 404 for everyone else."""
    membership = getattr(user, "membership", None)
    event = Event.objects.select_related("agency").filter(slug=slug).first()
    if event is None or membership is None or membership.agency_id != event.agency_id:
        raise Http404
    return event


@dataclass(frozen=True)
class Seats:
    registered: int
    waitlisted: int
    checked_in: int
    capacity: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.registered, 0)


def seats(event: Event) -> Seats:
    counts = Registration.objects.filter(event=event).aggregate(
        registered=Count("pk", filter=Q(status=Status.REGISTERED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return Seats(capacity=event.capacity, **counts)


def registration_of(user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(event_id=registration.event_id, status=Status.WAITLISTED).filter(
        Q(registered_at__lt=registration.registered_at)
        | Q(registered_at=registration.registered_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def registrations_of(user) -> QuerySet[Registration]:
    """"Pendaftaran saya": everything the user signed up for, newest event first."""
    return (Registration.objects.filter(user=user).select_related("event", "event__agency")
            .order_by("-event__starts_at", "-pk"))


def registration_for_check_in(user, ticket_code: str) -> Registration:
    """The ticket an officer scanned, if the officer belongs to the organising agency."""
    membership = getattr(user, "membership", None)
    registration = (Registration.objects.select_related("event", "event__agency", "user")
                    .filter(ticket_code=ticket_code).first())
    if registration is None or membership is None or membership.agency_id != registration.event.agency_id:
        raise Http404
    return registration


def attendance(event: Event) -> QuerySet[Registration]:
    """The participants with a seat, for the organiser's list and export."""
    return (Registration.objects.filter(event=event, status=Status.REGISTERED)
            .select_related("user").order_by("user__name", "pk"))


def waitlist(event: Event) -> QuerySet[Registration]:
    return (Registration.objects.filter(event=event, status=Status.WAITLISTED)
            .select_related("user").order_by("registered_at", "pk"))


def material_for(user, event: Event, material_id: int) -> Material:
    """Handouts are for registered participants and the organising agency's staff."""
    membership = getattr(user, "membership", None)
    staff = membership is not None and membership.agency_id == event.agency_id
    participant = Registration.objects.filter(event=event, user=user, status=Status.REGISTERED).exists()
    material = event.materials.filter(pk=material_id).first()
    if material is None or not (staff or participant):
        raise Http404
    return material


def certificate_of(user, event: Event) -> Registration:
    registration = Registration.objects.select_related("event", "event__agency", "user").filter(
        event=event, user=user, event__certificate=True,
    ).exclude(certificate_code="").first()
    if registration is None:
        raise Http404
    return registration


def certificate_public(code: str) -> Registration | None:
    """For the public verification page: a certificate by its code."""
    if not code:
        return None
    return (Registration.objects.select_related("event", "event__agency", "user")
            .filter(certificate_code=code.upper(), event__certificate=True).first())


def search_documents(events: QuerySet[Event] | None = None):
    """Public events for the site-wide search (kotacerdas.search)."""
    from kotacerdas.search.sources import Document

    for event in Event.objects.filter(is_public=True) if events is None else events:
        yield Document(kind="event", key=f"event:{event.pk}", title=event.title,
                       text=f"{event.description} {event.place} {event.facilitator} {event.audience}",
                       summary=event.description[:300], url=f"/agenda/{event.slug}/",
                       agency_id=event.agency_id, published_at=event.starts_at)
