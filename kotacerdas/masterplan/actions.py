"""Writes of the masterplan: the frameworks from the reference data, and an indicator's
realisation from the OPD's entry through Bappeda's verification. The SPBE self-assessment
and Kominfo's evaluation are in assessment.py."""

import csv
import json
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.agencies.models import Agency
from kotacerdas.audit.actions import audit_record
from kotacerdas.lib.uploads import UploadRejected, clean_upload
from kotacerdas.masterplan import queries
from kotacerdas.masterplan.errors import MasterplanError, MasterplanInvalid, StepNotAllowed
from kotacerdas.masterplan.models import (
    Dimension,
    EvaluationComponent,
    Evidence,
    Indicator,
    Plan,
    Programme,
    Realisation,
    RealisationEvent,
    SpbeAspect,
    SpbeBand,
    SpbeDomain,
    SpbeIndicator,
    SpbeLevel,
    SubDimension,
    Target,
)
from kotacerdas.notifications.actions import message_create

DATA = Path(settings.BASE_DIR) / "data"
Status = Realisation.Status

EVIDENCE_KINDS = ("pdf", "jpg", "png")
EVIDENCE_MAX = 10 * 1024 * 1024
EVIDENCE_MAX_SIDE = 2000
EVIDENCE_PER_REALISATION = 10

# Codes for the six dimensions, in Kominfo's order.
DIMENSION_CODES = {
    "Smart Governance": "governance",
    "Smart Branding": "branding",
    "Smart Economy": "economy",
    "Smart Living": "living",
    "Smart Society": "society",
    "Smart Environment": "environment",
}
EVALUATION_COMPONENTS = [
    ("baseline", "Baseline", "Kondisi dan peningkatan dibanding evaluasi sebelumnya"),
    ("output", "Output", "Fondasi: kebijakan, kelembagaan, anggaran"),
    ("outcome", "Outcome", "Pelaksanaan rencana masterplan"),
    ("impact", "Impact", "Manfaat bagi warga, partisipasi, keberlanjutan"),
    ("quick_win", "Quick Win", "Inovasi program percepatan"),
]
# PermenPANRB 59/2020's maturity levels (tingkat kematangan).
SPBE_LEVELS = [
    (1, "Rintisan", "Belum ada pedoman atau rencana; konsep atau draf."),
    (2, "Terkelola", "Dilaksanakan menurut pedoman, belum menyeluruh."),
    (3, "Terstandarisasi", "Menyeluruh untuk semua proses."),
    (4, "Terintegrasi dan Terukur", "Terpadu secara nasional dan direviu berkala."),
    (5, "Optimum", "Dioptimalkan dari hasil reviu."),
]
SPBE_BANDS = [
    ("Memuaskan", Decimal("4.20")),
    ("Sangat Baik", Decimal("3.50")),
    ("Baik", Decimal("2.60")),
    ("Cukup", Decimal("1.80")),
    ("Kurang", Decimal("0.00")),
]


def masterplan_load_reference() -> int:
    """The six dimensions with their sub-dimensions, Kominfo's evaluation components with
    their weights, and the 47 SPBE indicators with levels and bands. Rows an admin has
    edited are left as they are."""
    added = 0
    with (DATA / "smart_city_dimensions.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = DIMENSION_CODES[row["dimensi"]]
            dimension, made = Dimension.objects.get_or_create(
                code=code,
                defaults={
                    "name": row["dimensi"],
                    "description": row["deskripsi_id"],
                    "order": list(DIMENSION_CODES.values()).index(code) + 1,
                },
            )
            added += made
            _sub, made = SubDimension.objects.get_or_create(
                dimension=dimension,
                number=int(row["sub_dimensi_no"]),
                defaults={"name": row["sub_dimensi"], "name_en": row["sub_dimensi_en"]},
            )
            added += made
    weights = json.loads((DATA / "smart_city_evaluation_weights.json").read_text())[
        "weights_current_inferred"
    ]
    for order, (code, name, description) in enumerate(EVALUATION_COMPONENTS, start=1):
        _component, made = EvaluationComponent.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "weight": Decimal(str(weights[code])),
                "order": order,
            },
        )
        added += made
    with (DATA / "spbe_indicators.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            domain, made = SpbeDomain.objects.get_or_create(
                number=int(row["domain_no"]), defaults={"name": row["domain"]}
            )
            added += made
            aspect, made = SpbeAspect.objects.get_or_create(
                number=int(row["aspek_no"]), defaults={"domain": domain, "name": row["aspek"]}
            )
            added += made
            _indicator, made = SpbeIndicator.objects.get_or_create(
                number=int(row["indikator"]),
                defaults={
                    "aspect": aspect,
                    "name": row["nama_indikator"],
                    "weight": Decimal(row["bobot_persen"]),
                },
            )
            added += made
    for level, name, description in SPBE_LEVELS:
        added += SpbeLevel.objects.get_or_create(
            level=level, defaults={"name": name, "description": description}
        )[1]
    if not SpbeBand.objects.exists():
        SpbeBand.objects.bulk_create(SpbeBand(name=name, minimum=minimum) for name, minimum in SPBE_BANDS)
        added += len(SPBE_BANDS)
    return added


# --- Realisations -----------------------------------------------------------------------------


def _value(raw, errors: dict) -> Decimal | None:
    text = str(raw if raw is not None else "").strip().replace(" ", "")
    # Indonesian writing: 1.234,5 means 1234.5; a lone comma is the decimal mark.
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors["value"] = _("Isi capaian dengan angka, mis. 87,5.")
        return None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        errors["value"] = _("Angka capaian tidak wajar.")
        return None
    return value.quantize(Decimal("0.01"))


def _links(raw: Iterable[str], errors: dict) -> list[str]:
    links, check = [], URLValidator(schemes=["http", "https"])
    for text in raw:
        text = text.strip()
        if not text:
            continue
        try:
            check(text)
        except ValidationError:
            errors["links"] = _("Tautan bukti harus alamat web lengkap (https://…).")
            continue
        links.append(text[:500])
    return links


def _clean_files(uploads, errors: dict) -> list:
    files = []
    for upload in uploads:
        try:
            files.append(
                clean_upload(
                    upload, accept=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX, max_side=EVIDENCE_MAX_SIDE
                )
            )
        except UploadRejected as rejected:
            errors["uploads"] = rejected.message
    return files


def _event(realisation: Realisation, type_: str, actor, note: str = "") -> None:
    RealisationEvent.objects.create(
        realisation=realisation, type=type_, actor=actor, value=realisation.value, note=note
    )


@transaction.atomic
def realisation_save(
    *,
    actor,
    indicator: Indicator,
    year: int,
    value,
    note: str = "",
    links: Iterable[str] = (),
    uploads: Iterable = (),
    submit: bool = False,
) -> Realisation:
    """An OPD enters (or corrects) an indicator's realisation for a year, with evidence, and
    either keeps it as a draft or submits it to Bappeda. Evidence files are checked by their
    content; any error leaves nothing stored."""
    if not queries.may_report(actor, indicator):
        raise MasterplanError(_("Indikator ini dilaporkan oleh OPD lain."))
    if indicator.is_automatic:
        raise MasterplanError(_("Capaian indikator ini diambil otomatis dari angka platform."))
    programme = indicator.programme
    if not programme.start_year <= year <= max(programme.end_year, timezone.localdate().year):
        raise MasterplanInvalid({"year": _("Tahun di luar masa program.")})
    errors: dict = {}
    amount = _value(value, errors)
    links = _links(links, errors)
    files = _clean_files(uploads, errors)
    if errors or amount is None:
        raise MasterplanInvalid(errors)
    realisation = Realisation.objects.select_for_update().filter(indicator=indicator, year=year).first()
    if realisation is not None and not realisation.is_editable:
        raise StepNotAllowed(_("Capaian ini sedang diverifikasi atau sudah terverifikasi."))
    if (
        realisation is not None
        and realisation.evidence.count() + len(links) + len(files) > EVIDENCE_PER_REALISATION
    ):
        raise MasterplanInvalid(
            {"uploads": _("Paling banyak %(n)s bukti per capaian.") % {"n": EVIDENCE_PER_REALISATION}}
        )
    before = {"value": realisation.value, "status": realisation.status} if realisation else {}
    realisation = realisation or Realisation(indicator=indicator, year=year)
    realisation.value, realisation.note = amount, note.strip()[:4000]
    realisation.updated_at = timezone.now()
    if submit:
        if not (files or links or (realisation.pk and realisation.evidence.exists())):
            raise MasterplanInvalid(
                {"uploads": _("Lampirkan paling sedikit satu bukti (berkas atau tautan).")}
            )
        realisation.status = Status.SUBMITTED
        realisation.submitted_by, realisation.submitted_at = actor, timezone.now()
    else:
        realisation.status = Status.DRAFT if realisation.status != Status.RETURNED else Status.RETURNED
    try:
        with transaction.atomic():
            realisation.save()
    except IntegrityError as race:
        # Two people saved the first realisation of this year at once; the other one won.
        raise StepNotAllowed() from race
    for link in links:
        Evidence.objects.create(realisation=realisation, title=link[:200], url=link, added_by=actor)
    for clean in files:
        evidence = Evidence(
            realisation=realisation,
            title=clean.name,
            content_type=clean.content_type,
            size=clean.size,
            added_by=actor,
        )
        evidence.file.save(clean.name, ContentFile(clean.content), save=False)
        evidence.save()
    _event(
        realisation,
        RealisationEvent.Type.SUBMITTED if submit else RealisationEvent.Type.SAVED,
        actor,
        realisation.note,
    )
    audit_record(
        actor=actor,
        action="realisation_submit" if submit else "realisation_save",
        obj=realisation,
        before=before,
        after={"value": realisation.value, "status": realisation.status, "evidence": len(links) + len(files)},
    )
    if submit:
        for planner in queries.planners():
            if planner.pk != actor.pk:
                message_create(
                    user=planner, template="realisation_submitted", context={"realisation": realisation}
                )
    return realisation


@transaction.atomic
def evidence_remove(*, actor, evidence: Evidence) -> None:
    realisation = evidence.realisation
    if not queries.may_report(actor, realisation.indicator) or not realisation.is_editable:
        raise StepNotAllowed()
    audit_record(
        actor=actor, action="evidence_remove", obj=realisation, before={"evidence": evidence.title}, after={}
    )
    if evidence.file:
        stored = evidence.file
        transaction.on_commit(lambda: stored.delete(save=False))
    evidence.delete()


def _review(*, actor, realisation: Realisation, to: str, note: str) -> Realisation:
    if not queries.is_planner(actor):
        raise MasterplanError(_("Hanya Bappeda yang memverifikasi capaian."))
    now = timezone.now()
    moved = Realisation.objects.filter(pk=realisation.pk, status=Status.SUBMITTED).update(
        status=to, reviewed_by=actor, reviewed_at=now, review_note=note, updated_at=now
    )
    if moved != 1:
        raise StepNotAllowed()
    realisation.refresh_from_db()
    _event(
        realisation,
        RealisationEvent.Type.VERIFIED if to == Status.VERIFIED else RealisationEvent.Type.RETURNED,
        actor,
        note,
    )
    audit_record(
        actor=actor,
        action=f"realisation_{'verify' if to == Status.VERIFIED else 'return'}",
        obj=realisation,
        before={"status": Status.SUBMITTED},
        after={"status": to, "note": note},
    )
    if to == Status.RETURNED and realisation.submitted_by is not None:
        message_create(
            user=realisation.submitted_by,
            template="realisation_returned",
            context={"realisation": realisation},
        )
    return realisation


@transaction.atomic
def realisation_verify(*, actor, realisation: Realisation, note: str = "") -> Realisation:
    """Bappeda accepts the figure and its evidence: it counts and becomes public."""
    return _review(actor=actor, realisation=realisation, to=Status.VERIFIED, note=note.strip()[:2000])


@transaction.atomic
def realisation_return(*, actor, realisation: Realisation, note: str) -> Realisation:
    """Bappeda sends it back to the OPD with what to fix."""
    if not note.strip():
        raise MasterplanInvalid({"note": _("Tuliskan apa yang perlu diperbaiki OPD.")})
    return _review(actor=actor, realisation=realisation, to=Status.RETURNED, note=note.strip()[:2000])


def realisations_refresh_automatic(*, year: int | None = None) -> int:
    """Indicators fed by a live figure of the platform take this year's value from it, so no
    one re-types what the system already knows. They need no verification: the figure is
    the platform's own, and its history shows each change. The figures are computed before
    the write transaction, which stays short."""
    from kotacerdas.dashboard.metrics import metric_value

    year = year or timezone.localdate().year
    running = Indicator.objects.filter(programme__start_year__lte=year, programme__end_year__gte=year)
    indicators = list(running.exclude(metric=""))
    figures = {key: metric_value(key, year) for key in {indicator.metric for indicator in indicators}}
    with transaction.atomic():
        return sum(_automatic_set(indicator, year, figures[indicator.metric]) for indicator in indicators)


def _automatic_set(indicator: Indicator, year: int, figure: float | None) -> bool:
    if figure is None:
        return False
    amount = Decimal(str(round(figure, 2)))
    realisation = Realisation.objects.select_for_update().filter(indicator=indicator, year=year).first()
    if realisation is not None and realisation.value == amount and realisation.is_automatic:
        return False
    before = {"value": realisation.value} if realisation else {}
    now = timezone.now()
    realisation = realisation or Realisation(indicator=indicator, year=year)
    realisation.value, realisation.is_automatic, realisation.status = amount, True, Status.VERIFIED
    realisation.reviewed_at = realisation.updated_at = now
    realisation.save()
    _event(realisation, RealisationEvent.Type.AUTOMATIC, None)
    audit_record(actor=None, action="realisation_automatic", obj=realisation, before=before,
                 after={"value": amount, "metric": indicator.metric})
    return True


# --- Bappeda keeps the plan ------------------------------------------------------------------------

# Codes that would be read as the staff pages' own addresses (/masterplan/kelola/program/baru/).
RESERVED_CODES = {"baru"}
PROGRAMME_FIELDS = [
    "code",
    "name",
    "description",
    "dimension",
    "subdimension",
    "lead_agency",
    "horizon",
    "start_year",
    "end_year",
    "budget_source",
    "budget_amount",
    "status",
]
INDICATOR_FIELDS = [
    "kind",
    "name",
    "unit",
    "baseline",
    "baseline_year",
    "direction",
    "agency",
    "metric",
    "order",
]


def _planner_only(actor) -> None:
    if not queries.is_planner(actor):
        raise MasterplanError(_("Hanya Bappeda yang menyusun masterplan."))


def _fields(obj, names: list[str]) -> dict:
    return {name: getattr(obj, name) for name in names}


@transaction.atomic
def plan_save(*, actor, plan: Plan, values: dict) -> Plan:
    """The masterplan's text: vision, mission, goals, readiness, years."""
    _planner_only(actor)
    names = list(values)
    before = _fields(plan, names) if plan.pk else {}
    for name, value in values.items():
        setattr(plan, name, value)
    if plan.end_year < plan.start_year:
        raise MasterplanInvalid({"end_year": _("Tahun selesai tidak boleh sebelum tahun mulai.")})
    plan.updated_at = timezone.now()
    plan.save()
    audit_record(actor=actor, action="plan_save", obj=plan, before=before, after=_fields(plan, names))
    return plan


@transaction.atomic
def programme_save(
    *, actor, values: dict, programme: Programme | None = None, supporting: Iterable[Agency] = ()
) -> Programme:
    """Add or change a programme. Its sub-dimension must belong to its dimension."""
    _planner_only(actor)
    errors = {}
    if values["subdimension"].dimension_id != values["dimension"].pk:
        errors["subdimension"] = _("Sub-dimensi ini bukan bagian dari dimensi yang dipilih.")
    if values["end_year"] < values["start_year"]:
        errors["end_year"] = _("Tahun selesai tidak boleh sebelum tahun mulai.")
    clash = Programme.objects.filter(code=values["code"])
    if programme is not None:
        clash = clash.exclude(pk=programme.pk)
    if clash.exists():
        errors["code"] = _("Kode ini sudah dipakai program lain.")
    elif values["code"] in RESERVED_CODES:
        errors["code"] = _("Kode ini dipakai alamat halaman; pilih kode lain.")
    if errors:
        raise MasterplanInvalid(errors)
    before = _fields(programme, PROGRAMME_FIELDS) if programme else {}
    programme = programme or Programme()
    for name in PROGRAMME_FIELDS:
        setattr(programme, name, values[name])
    programme.updated_at = timezone.now()
    programme.save()
    programme.supporting_agencies.set([a for a in supporting if a.pk != programme.lead_agency_id])
    after = _fields(programme, PROGRAMME_FIELDS) | {
        "supporting": ",".join(sorted(a.code for a in programme.supporting_agencies.all()))
    }
    audit_record(actor=actor, action="programme_save", obj=programme, before=before, after=after)
    _search_update(programme)
    return programme


def _search_update(programme: Programme) -> None:
    from kotacerdas.search.actions import entry_drop, entry_put

    if programme.is_public:
        for document in queries.search_documents(Programme.objects.filter(pk=programme.pk)):
            entry_put(document)
    else:
        entry_drop(f"programme:{programme.pk}")


@transaction.atomic
def indicator_save(
    *,
    actor,
    programme: Programme,
    values: dict,
    targets: dict[int, Decimal | None],
    indicator: Indicator | None = None,
) -> Indicator:
    """Add or change an indicator and its target for each year of the programme (an empty
    target removes that year's)."""
    _planner_only(actor)
    from kotacerdas.dashboard.metrics import METRICS

    if values.get("metric") and values["metric"] not in METRICS:
        raise MasterplanInvalid({"metric": _("Angka platform ini tidak dikenal.")})
    if any(year not in programme.years() for year in targets):
        raise MasterplanInvalid({"__all__": _("Target hanya untuk tahun-tahun program.")})
    before = _fields(indicator, INDICATOR_FIELDS) if indicator else {}
    if indicator:
        before["targets"] = {t.year: t.value for t in indicator.targets.all()}
    indicator = indicator or Indicator(programme=programme)
    for name in INDICATOR_FIELDS:
        setattr(indicator, name, values[name])
    indicator.save()
    for year, value in targets.items():
        if value is None:
            Target.objects.filter(indicator=indicator, year=year).delete()
        else:
            Target.objects.update_or_create(indicator=indicator, year=year, defaults={"value": value})
    after = _fields(indicator, INDICATOR_FIELDS) | {
        "targets": {t.year: t.value for t in indicator.targets.order_by("year")}
    }
    audit_record(actor=actor, action="indicator_save", obj=indicator, before=before, after=after)
    return indicator
