import json
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFilter

from kotacerdas.agencies.models import Agency
from kotacerdas.audit.actions import audit_record
from kotacerdas.cases.actions import case_open, case_restart_clock, case_transition
from kotacerdas.cases.models import Case, Kind, Status
from kotacerdas.cases.queries import holiday_dates
from kotacerdas.lib import workdays
from kotacerdas.lib.geo import haversine_m
from kotacerdas.lib.uploads import UploadRejected, clean_upload
from kotacerdas.notifications.actions import message_create
from kotacerdas.regions.queries import locate
from kotacerdas.reports.errors import NotReporter, OutsideCity, ReportError, ReportInvalid
from kotacerdas.reports.models import (
    Attribute,
    Category,
    CloseReason,
    Photo,
    Privacy,
    ReplyTemplate,
    Report,
    Subscription,
    Support,
)

MAX_PHOTOS = 5
AREA_MIN_RADIUS_M = 100
AREA_MAX_RADIUS_M = 3000
PHOTO_MAX_MB = 10
# Phone photos are 12+ megapixels; 1600 px is plenty to see a pothole and light to load.
PHOTO_MAX_SIDE = 1600
DESCRIPTION_MAX = 5000


def clean_attributes(category: Category, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Open311 attributes: required ones present, list values among the allowed keys."""
    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for attribute in category.attributes.all():
        value = raw.get(attribute.code)
        empty = value in (None, "", []) or (isinstance(value, list) and not any(value))
        if empty:
            if attribute.required:
                errors[attribute.code] = _("Wajib diisi.")
            continue
        keys = {str(v.get("key")) for v in attribute.values}
        if attribute.datatype == Attribute.Datatype.SINGLE:
            if isinstance(value, list) or str(value) not in keys:
                errors[attribute.code] = _("Pilih salah satu pilihan yang tersedia.")
                continue
            values[attribute.code] = str(value)
        elif attribute.datatype == Attribute.Datatype.MULTI:
            chosen = [str(v) for v in (value if isinstance(value, list) else [value])]
            if not set(chosen) <= keys:
                errors[attribute.code] = _("Pilih dari pilihan yang tersedia.")
                continue
            values[attribute.code] = chosen
        elif attribute.datatype == Attribute.Datatype.NUMBER:
            try:
                values[attribute.code] = float(str(value).replace(",", "."))
            except ValueError:
                errors[attribute.code] = _("Isi dengan angka.")
        else:
            values[attribute.code] = str(value)[:2000]
    return values, errors


def _clean_photo(upload) -> tuple[bytes, str, int, int]:
    clean = clean_upload(
        upload, accept=["jpg", "png"], max_bytes=PHOTO_MAX_MB * 1024 * 1024, max_side=PHOTO_MAX_SIDE
    )
    with Image.open(BytesIO(clean.content)) as image:
        width, height = image.size
    return clean.content, clean.name, width, height


def _store_photo(
    report: Report, content: bytes, name: str, width: int, height: int, *, by_staff=False
) -> Photo:
    photo = Photo(report=report, width=width, height=height, by_staff=by_staff)
    photo.file.save(name, ContentFile(content), save=False)
    photo.save()
    return photo


def _subscribers_of(report: Report):
    """Users following the report or watching its kelurahan or surroundings, except the reporter."""
    near = []
    # Only points that could be within the largest radius, on every new report: a box first.
    reach = AREA_MAX_RADIUS_M / 111_320
    candidates = Subscription.objects.filter(
        kind=Subscription.Kind.AREA, lat__range=(report.lat - reach, report.lat + reach),
        lon__range=(report.lon - reach * 1.02, report.lon + reach * 1.02),
    ).select_related("user")
    for subscription in candidates:
        if (
            subscription.category_id in (None, report.category_id)
            and subscription.lat is not None
            and subscription.lon is not None
            and haversine_m(subscription.lat, subscription.lon, report.lat, report.lon)
            <= subscription.radius_m
        ):
            near.append(subscription.user)
    in_kelurahan = [
        s.user
        for s in Subscription.objects.filter(
            kind=Subscription.Kind.KELURAHAN, kelurahan=report.kelurahan
        ).select_related("user")
        if s.category_id in (None, report.category_id)
    ]
    return {u.pk: u for u in near + in_kelurahan if u.pk != report.reporter_id}.values()


def _notify_followers(report: Report, template: str, **context) -> None:
    """Tell the report's followers what changed. The reporter hears from the case itself
    (every public status change notifies the case's resident)."""
    followers = {s.user_id: s.user for s in report.subscriptions.select_related("user")}
    if report.reporter_id is not None:
        followers.pop(report.reporter_id, None)
    actor = context.pop("actor", None)
    for user in followers.values():
        if user.is_active and (actor is None or user.pk != actor.pk):
            message_create(user=user, template=template, context={"report": report, **context})


@transaction.atomic
def report_submit(
    *,
    reporter,
    category: Category,
    description: str,
    lat: float | None,
    lon: float | None,
    address: str = "",
    privacy: str = Privacy.PUBLIC,
    photos: list | None = None,
    attributes: dict[str, Any] | None = None,
    submission_key: str = "",
    channel: str = "web",
) -> Report:
    """File a report: checked, located in its kelurahan, routed to the category's agency
    with the SP4N-LAPOR! verification deadline. A retry with the same key changes nothing."""
    if submission_key:
        existing = Report.objects.filter(reporter=reporter, submission_key=submission_key).first()
        if existing is not None:
            return existing
    errors: dict[str, Any] = {}
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Ceritakan masalahnya.")
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Terlalu panjang: paling banyak %(n)s karakter.") % {"n": DESCRIPTION_MAX}
    if privacy not in Privacy.values:
        errors["privacy"] = _("Pilih salah satu pilihan yang tersedia.")
    if not category.is_active:
        errors["category"] = _("Kategori ini tidak menerima pengaduan baru.")
    values, attribute_errors = clean_attributes(category, attributes or {})
    errors.update(attribute_errors)
    kelurahan = None
    if lat is None or lon is None:
        errors["location"] = _("Tandai lokasi masalah di peta atau gunakan lokasi Anda.")
    else:
        kelurahan = locate(lat, lon)
        if kelurahan is None:
            errors.update(OutsideCity().errors)
    cleaned = []
    photos = photos or []
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("Paling banyak %(n)s foto.") % {"n": MAX_PHOTOS}
    else:
        for upload in photos:
            try:
                cleaned.append(_clean_photo(upload))
            except UploadRejected as error:
                errors["photos"] = error.message
                break
    if errors:
        raise ReportInvalid(errors)
    assert lat is not None and lon is not None and kelurahan is not None
    try:
        with transaction.atomic():
            case = case_open(
                kind=Kind.REPORT,
                agency=category.agency,
                title=category.name,
                sla_workdays=category.verify_workdays,
                citizen=reporter,
                kelurahan=kelurahan,
                lat=lat,
                lon=lon,
            )
            report = Report.objects.create(
                case=case,
                category=category,
                description=description,
                lat=lat,
                lon=lon,
                kelurahan=kelurahan,
                address=(address or "").strip()[:250],
                privacy=privacy,
                reporter=reporter,
                attributes=values,
                channel=channel,
                submission_key=submission_key,
                created_at=case.submitted_at,
                updated_at=case.submitted_at,
            )
    except IntegrityError:
        return Report.objects.get(reporter=reporter, submission_key=submission_key)
    for content, name, width, height in cleaned:
        _store_photo(report, content, name, width, height)
    audit_record(
        actor=reporter,
        action="report_submit",
        obj=report,
        after={"category": category.code, "privacy": privacy, "case": case.tracking_code},
    )
    if report.is_public:
        for user in _subscribers_of(report):
            message_create(user=user, template="report_nearby", context={"report": report})
    return report


@transaction.atomic
def report_support(*, report: Report, user) -> bool:
    """ "Saya juga mengalami ini". The supporter follows the report from then on. Returns
    False when they already supported it."""
    if not report.is_public or not report.case.is_open:
        raise ReportError(_("Laporan ini tidak dapat didukung lagi."))
    if report.reporter_id == user.pk:
        raise ReportError(_("Ini laporan Anda sendiri."))
    try:
        with transaction.atomic():
            Support.objects.create(report=report, user=user)
    except IntegrityError:
        return False
    Report.objects.filter(pk=report.pk).update(supporters=F("supporters") + 1)
    report.supporters += 1
    Subscription.objects.get_or_create(user=user, kind=Subscription.Kind.REPORT, report=report)
    audit_record(actor=user, action="report_support", obj=report)
    return True


@transaction.atomic
def report_verify(*, report: Report, actor, note: str = "") -> Report:
    """Verification and disposition: the follow-up clock starts (SP4N-LAPOR!: 5 working days)."""
    case_transition(case=report.case, to_status=Status.VERIFIED, actor=actor, note=note)
    case_restart_clock(case=report.case, sla_workdays=report.category.followup_workdays, actor=actor)
    _touch(report)
    return report


def _touch(report: Report) -> None:
    report.updated_at = timezone.now()
    Report.objects.filter(pk=report.pk).update(updated_at=report.updated_at)


@transaction.atomic
def report_answer(*, report: Report, actor, text: str) -> Report:
    """The agency's public answer (tindak lanjut). The report closes by itself after the
    category's working days unless the reporter reopens it."""
    text = (text or "").strip()
    if not text:
        raise ReportInvalid({"text": _("Tulis jawaban untuk pelapor.")})
    case_transition(
        case=report.case,
        to_status=Status.RESOLVED,
        actor=actor,
        note=text,
        module=True,
        event_data={"answer": True},
    )
    today = timezone.localdate()
    report.answered_at = report.answered_at or timezone.now()
    report.autoclose_on = workdays.add_workdays(
        today, report.category.autoclose_workdays, holiday_dates(today)
    )
    report.save(update_fields=["answered_at", "autoclose_on"])
    _touch(report)
    _notify_followers(report, "report_answered", text=text, actor=actor)
    return report


@transaction.atomic
def report_close(
    *, report: Report, actor, reason: str, note: str = "", duplicate_of: Report | None = None
) -> Report:
    """Close with a reason residents read: fixed, not the city's responsibility, duplicate."""
    if reason not in CloseReason.values:
        raise ReportInvalid({"reason": _("Pilih alasan penutupan.")})
    if reason == CloseReason.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == report.pk:
            raise ReportInvalid({"duplicate_of": _("Sebutkan kode laporan yang sama.")})
        return report_merge(report=report, into=duplicate_of, actor=actor)
    if reason == CloseReason.NOT_RESPONSIBLE and not note.strip():
        raise ReportInvalid({"note": _("Sebutkan pihak yang berwenang agar pelapor tahu ke mana melapor.")})
    case_transition(
        case=report.case,
        to_status=Status.CLOSED,
        actor=actor,
        note=note,
        module=True,
        event_data={"close_reason": reason},
    )
    report.close_reason, report.autoclose_on = reason, None
    report.save(update_fields=["close_reason", "autoclose_on"])
    _touch(report)
    _notify_followers(
        report, "report_closed", reason=report.get_close_reason_display(), note=note, actor=actor
    )
    return report


@transaction.atomic
def report_reject(*, report: Report, actor, reason: str) -> Report:
    """At verification: not a report at all (spam, abuse, no content)."""
    if not reason.strip():
        raise ReportInvalid({"reason": _("Tuliskan alasan penolakan.")})
    case_transition(case=report.case, to_status=Status.REJECTED, actor=actor, note=reason, module=True)
    _touch(report)
    return report


@transaction.atomic
def report_merge(*, report: Report, into: Report, actor) -> Report:
    """Close `report` as a duplicate of `into`: its reporter, supporters and followers move
    to the kept report, so everyone hears about the one fix."""
    if into.pk == report.pk or into.duplicate_of_id is not None:
        raise ReportInvalid({"duplicate_of": _("Pilih laporan utama yang masih berdiri sendiri.")})
    case_transition(
        case=report.case,
        to_status=Status.CLOSED,
        actor=actor,
        module=True,
        # A confidential report's code must not reach the public timeline of a public one.
        note=str(_("Sama dengan laporan %(code)s.") % {"code": into.case.tracking_code})
        if into.is_public
        else str(_("Sama dengan laporan lain yang sedang ditangani.")),
        event_data={"close_reason": CloseReason.DUPLICATE, "duplicate_of": into.case.tracking_code},
    )
    moved = set(Support.objects.filter(report=into).values_list("user_id", flat=True))
    people = set(Support.objects.filter(report=report).values_list("user_id", flat=True))
    if report.reporter_id:
        people.add(report.reporter_id)
    people -= moved | ({into.reporter_id} if into.reporter_id else set())
    Support.objects.bulk_create([Support(report=into, user_id=pk) for pk in people])
    # Before the followers move: they are found through the duplicate's subscriptions.
    _notify_followers(report, "report_merged", into=into, actor=actor)
    followers = set(Subscription.objects.filter(report=into).values_list("user_id", flat=True))
    for subscription in Subscription.objects.filter(report=report):
        if subscription.user_id in followers:
            subscription.delete()
        else:
            subscription.report = into
            subscription.save(update_fields=["report"])
    for pk in people - followers:
        if pk != into.reporter_id:
            Subscription.objects.get_or_create(user_id=pk, kind=Subscription.Kind.REPORT, report=into)
    into.supporters = Support.objects.filter(report=into).count()
    Report.objects.filter(pk=into.pk).update(supporters=into.supporters, updated_at=timezone.now())
    report.close_reason, report.duplicate_of, report.autoclose_on = CloseReason.DUPLICATE, into, None
    report.save(update_fields=["close_reason", "duplicate_of", "autoclose_on"])
    _touch(report)
    audit_record(
        actor=actor,
        action="report_merge",
        obj=report,
        after={"into": into.case.tracking_code, "moved_supporters": len(people)},
    )
    return report


@transaction.atomic
def report_reopen(*, report: Report, actor, reason: str) -> Report:
    """The reporter is not satisfied: back to the agency with the reason, clock restarted."""
    if report.reporter_id != actor.pk:
        raise NotReporter
    if not reason.strip():
        raise ReportInvalid({"reason": _("Jelaskan mengapa masalahnya belum selesai.")})
    if report.case.status == Status.CLOSED and report.close_reason == CloseReason.DUPLICATE:
        raise ReportError(_("Laporan ini digabung ke laporan lain; ikuti laporan tersebut."))
    if report.case.status not in (Status.RESOLVED, Status.CLOSED):
        raise ReportError(_("Laporan ini masih ditangani."))
    case_transition(
        case=report.case,
        to_status=Status.IN_PROGRESS,
        actor=actor,
        by_citizen=True,
        note=reason,
        event_data={"reopened": True},
    )
    case_restart_clock(case=report.case, sla_workdays=report.category.followup_workdays, actor=actor)
    report.close_reason, report.autoclose_on = "", None
    report.save(update_fields=["close_reason", "autoclose_on"])
    _touch(report)
    return report


def _by_citizen_transition(report: Report, actor, to_status: str, **kwargs) -> None:
    case_transition(
        case=report.case, to_status=to_status, actor=actor, by_citizen=True, module=True, **kwargs
    )


@transaction.atomic
def report_confirm(*, report: Report, actor) -> Report:
    """The reporter says the answer solved it: closed as fixed."""
    if report.reporter_id != actor.pk:
        raise NotReporter
    if report.case.status != Status.RESOLVED:
        raise ReportError(_("Laporan ini belum dijawab."))
    _by_citizen_transition(report, actor, Status.CLOSED, event_data={"close_reason": CloseReason.FIXED})
    report.close_reason, report.autoclose_on = CloseReason.FIXED, None
    report.save(update_fields=["close_reason", "autoclose_on"])
    _touch(report)
    return report


def reports_autoclose(today: date | None = None) -> int:
    """Close answered reports whose reporter did not respond in time (SP4N-LAPOR!)."""
    today = today or timezone.localdate()
    closed = 0
    due = Report.objects.filter(case__status=Status.RESOLVED, autoclose_on__lte=today).select_related("case")
    for report in due.iterator():
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=report.case_id)
            if case.status != Status.RESOLVED:
                continue
            report.case = case
            case_transition(
                case=case,
                to_status=Status.CLOSED,
                actor=None,
                module=True,
                system=True,
                event_data={"close_reason": CloseReason.FIXED, "automatic": True},
            )
            report.close_reason, report.autoclose_on = CloseReason.FIXED, None
            report.save(update_fields=["close_reason", "autoclose_on"])
            _touch(report)
            closed += 1
    return closed


@transaction.atomic
def report_moderate(
    *,
    report: Report,
    actor,
    description: str | None = None,
    hide_photos: list[int] | None = None,
    blur: dict[int, tuple[float, float, float, float]] | None = None,
) -> Report:
    """Take personal details out of a report posted by mistake: edit the text, hide a photo,
    or blur part of one (box as fractions of width and height). The audit row records what
    was done, never the removed content."""
    from kotacerdas.cases.actions import _ensure_officer_of

    _ensure_officer_of(actor, report.case)
    done: dict[str, Any] = {}
    if description is not None and description.strip() and description.strip() != report.description:
        report.description = description.strip()[:DESCRIPTION_MAX]
        report.save(update_fields=["description"])
        done["description_edited"] = True
    for photo in report.photos.filter(pk__in=hide_photos or []):
        photo.hidden = True
        photo.save(update_fields=["hidden"])
        done.setdefault("photos_hidden", []).append(photo.pk)
    for photo_id, box in (blur or {}).items():
        target = report.photos.filter(pk=photo_id).first()
        if target is None:
            continue
        _blur(target, box)
        done.setdefault("photos_blurred", []).append(target.pk)
    if done:
        _touch(report)
        audit_record(actor=actor, action="report_moderate", obj=report, after=done)
    return report


def _blur(photo: Photo, box: tuple[float, float, float, float]) -> None:
    x, y, w, h = (min(max(float(v), 0.0), 1.0) for v in box)
    with photo.file.open("rb") as handle, Image.open(handle) as image:
        image.load()
    left, top = int(x * image.width), int(y * image.height)
    right, bottom = int(min(x + w, 1) * image.width), int(min(y + h, 1) * image.height)
    if right <= left or bottom <= top:
        return
    region = image.crop((left, top, right, bottom))
    # Heavy enough that a face or a house number cannot be recovered.
    radius = max(12, (right - left) // 6)
    image.paste(region.filter(ImageFilter.GaussianBlur(radius)), (left, top))
    output = BytesIO()
    fmt = "PNG" if Path(photo.file.name).suffix == ".png" else "JPEG"
    image.convert("RGB" if fmt == "JPEG" else image.mode).save(output, fmt, quality=85)
    old = photo.file.name
    photo.file.save(Path(old).name, ContentFile(output.getvalue()), save=False)
    photo.save(update_fields=["file"])
    photo.file.storage.delete(old)


@transaction.atomic
def subscription_add(
    *,
    user,
    kind: str,
    report: Report | None = None,
    kelurahan=None,
    lat=None,
    lon=None,
    radius_m: int = 500,
    category: Category | None = None,
) -> Subscription:
    if kind == Subscription.Kind.REPORT and (
        report is None or not report.is_public and report.reporter_id != user.pk
    ):
        raise ReportInvalid({"report": _("Laporan tidak ditemukan.")})
    if kind == Subscription.Kind.AREA and (lat is None or lon is None or locate(lat, lon) is None):
        raise OutsideCity
    if kind == Subscription.Kind.KELURAHAN and kelurahan is None:
        raise ReportInvalid({"kelurahan": _("Pilih kelurahan di Kota Blitar.")})
    subscription, _created = Subscription.objects.get_or_create(
        user=user,
        kind=kind,
        report=report,
        kelurahan=kelurahan,
        lat=lat,
        lon=lon,
        category=category,
        defaults={"radius_m": min(max(radius_m, AREA_MIN_RADIUS_M), AREA_MAX_RADIUS_M)},
    )
    return subscription


@transaction.atomic
def subscription_remove(*, subscription: Subscription, user) -> None:
    if subscription.user_id == user.pk:
        subscription.delete()


@transaction.atomic
def categories_load_reference() -> int:
    """Sample categories routed to Kota Blitar's agencies; admins edit them. Idempotent."""
    rows = json.loads((Path(settings.BASE_DIR) / "data" / "report_categories.json").read_text())
    agencies = {a.code: a for a in Agency.objects.all()}
    created = 0
    for order, row in enumerate(rows):
        category, made = Category.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "description": row["description"],
                "group": row["group"],
                "keywords": row.get("keywords", ""),
                "agency": agencies[row["agency"]],
                "order": order,
            },
        )
        if made:
            created += 1
            Attribute.objects.bulk_create(
                Attribute(category=category, order=index, **attribute)
                for index, attribute in enumerate(row.get("attributes", []))
            )
    if not ReplyTemplate.objects.exists():
        ReplyTemplate.objects.bulk_create(
            ReplyTemplate(title=title, text=text) for title, text in REPLY_TEMPLATES
        )
    return created


REPLY_TEMPLATES = [
    ("Sudah diperbaiki", "Terima kasih atas laporannya. Petugas sudah memperbaiki masalah di lokasi. "
                         "Bila masalahnya belum selesai, silakan buka kembali laporan ini."),
    ("Dijadwalkan", "Terima kasih atas laporannya. Perbaikan sudah kami jadwalkan dan akan dikerjakan "
                    "dalam waktu dekat. Kami kabari lagi setelah selesai."),
    ("Perlu informasi tambahan", "Terima kasih. Mohon tambahkan patokan lokasi atau foto yang lebih jelas "
                                 "agar petugas dapat menemukan masalahnya."),
]
