"""Every change to Satu Data: a producer drafts, the Walidata reviews and publishes.

Each action bumps `modified_at` (CKAN's metadata_modified) and rewrites `search_text` in the
same transaction, so incremental harvesters and search never miss a change.
"""

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kotacerdas.audit.actions import audit_record
from kotacerdas.notifications.actions import message_create
from kotacerdas.opendata import licences
from kotacerdas.opendata.errors import NotAllowed, OpendataInvalid
from kotacerdas.opendata.models import (
    RESERVED_NAMES,
    Dataset,
    DatastoreField,
    Resource,
    ResourceVersion,
    ReviewNote,
    Tag,
    Topic,
    name_validator,
    tag_validator,
)
from kotacerdas.opendata.queries import is_producer, is_walidata

Status = Dataset.Status

# What a producer may change with dataset_update; everything else goes through its own action.
EDITABLE = (
    "title", "notes", "license_id", "frequency", "period_start", "period_end", "contact_name",
    "contact_email", "version", "concept", "definition", "classification", "unit", "measure",
    "region_code", "source",
)


def _refuse(message, field: str = "__all__", **params) -> NoReturn:
    raise OpendataInvalid({field: format_lazy(message, **params) if params else message})


def _require_producer(actor, dataset: Dataset | None = None, agency=None) -> None:
    membership = getattr(actor, "staff_membership", None)
    if dataset is not None and is_producer(actor, dataset):
        return
    if agency is not None and membership is not None and membership.agency_id == agency.pk:
        return
    raise NotAllowed(_("Hanya OPD pemilik data yang dapat mengubahnya."))


def _require_walidata(actor) -> None:
    if not is_walidata(actor):
        raise NotAllowed(_("Hanya Walidata yang dapat memeriksa dan menerbitkan data."))


def _clean_name(name: str, *, exclude_pk=None) -> str:
    name = (name or "").strip().lower()
    try:
        name_validator(name)
    except ValidationError:
        _refuse(_("Nama (slug) hanya huruf kecil, angka, - dan _, 2–100 karakter."), "name")
    if name in RESERVED_NAMES:
        _refuse(_("Nama \"{name}\" dicadangkan; pilih nama lain."), "name", name=name)
    if Dataset.objects.filter(name=name).exclude(pk=exclude_pk).exists():
        _refuse(_("Nama \"{name}\" sudah dipakai dataset lain."), "name", name=name)
    return name


def _clean_tags(tags: list[str]) -> list[Tag]:
    cleaned = []
    for raw in tags:
        text = " ".join(str(raw).split()).lower()
        if not text:
            continue
        try:
            tag_validator(text)
        except ValidationError:
            _refuse(_("Tag \"{tag}\" tidak sah: hanya huruf, angka, spasi, - dan ., 2–100 karakter."), "tags",
                    tag=text)
        cleaned.append(Tag.objects.get_or_create(name=text)[0])
    return cleaned


def _clean_fields(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    if "title" in changes and not str(changes["title"]).strip():
        _refuse(_("Judul wajib diisi."), "title")
    if "license_id" in changes and changes["license_id"] not in licences.BY_ID:
        _refuse(_("Lisensi tidak dikenal."), "license_id")
    start, end = changes.get("period_start"), changes.get("period_end")
    if start and end and start > end:
        _refuse(_("Periode mulai harus sebelum periode selesai."), "period_end")
    return changes


def _search_sync(dataset_id) -> None:
    """Keep the site-wide search in step: a public dataset is in it, any other is not."""
    from kotacerdas.opendata.queries import public_datasets, search_documents
    from kotacerdas.search.actions import entry_drop, entry_put

    documents = list(search_documents(public_datasets().filter(pk=dataset_id)))
    for document in documents:
        entry_put(document)
    if not documents:
        entry_drop(f"dataset:{dataset_id}")


def _search_later(dataset: Dataset) -> None:
    dataset_id = dataset.pk
    transaction.on_commit(lambda: _search_sync(dataset_id))


def reindex(dataset: Dataset) -> None:
    """Rewrite what search reads: text of the dataset, its tags, topics, resources and columns."""
    parts = [dataset.name, dataset.title, dataset.notes, dataset.agency.name, dataset.agency.short_name,
             dataset.concept, dataset.definition, dataset.classification, dataset.unit, dataset.source]
    parts += list(dataset.tags.values_list("name", flat=True))
    parts += [f"{t} {e}" for t, e in dataset.topics.values_list("title", "title_en")]
    resources = list(dataset.resources.values_list("name", "description", "format"))
    parts += [f"{name} {description}" for name, description, _format in resources]
    parts += list(DatastoreField.objects.filter(resource__dataset=dataset).values_list("name", flat=True))
    dataset.search_text = " ".join(" ".join(str(p).split()) for p in parts if p).lower()
    dataset.formats = ",".join(sorted({fmt for _n, _d, fmt in resources if fmt}))
    dataset.modified_at = timezone.now()
    dataset.save(update_fields=["search_text", "formats", "modified_at"])
    _search_later(dataset)


@transaction.atomic
def dataset_create(*, actor, agency, name: str, title: str, tags: list[str] | None = None,
                   topics: list[Topic] | None = None, private: bool = False, is_demo: bool = False,
                   **fields) -> Dataset:
    _require_producer(actor, agency=agency)
    cleaned = _clean_fields({"title": title, **fields})
    cleaned["title"] = title.strip()
    dataset = Dataset(agency=agency, name=_clean_name(name), private=private, is_demo=is_demo,
                      created_by=actor, **cleaned)
    dataset.save()
    dataset.tags.set(_clean_tags(tags or []))
    dataset.topics.set(topics or [])
    reindex(dataset)
    audit_record(actor=actor, action="dataset.create", obj=dataset, after={"name": dataset.name})
    return dataset


@transaction.atomic
def dataset_update(*, actor, dataset: Dataset, name: str | None = None, tags: list[str] | None = None,
                   topics: list[Topic] | None = None, **changes) -> Dataset:
    _require_producer(actor, dataset)
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    before = {field: getattr(dataset, field) for field in changes}
    for field, value in _clean_fields(changes).items():
        setattr(dataset, field, value.strip() if isinstance(value, str) else value)
    if name is not None and name != dataset.name:
        if dataset.published_at is not None:
            # Harvested copies and links point at the name once it has been public.
            _refuse(_("Nama dataset yang pernah terbit tidak dapat diubah."), "name")
        before["name"], dataset.name = dataset.name, _clean_name(name, exclude_pk=dataset.pk)
    dataset.save()
    if tags is not None:
        before["tags"] = ",".join(dataset.tags.values_list("name", flat=True))
        dataset.tags.set(_clean_tags(tags))
        changes["tags"] = ",".join(t.name for t in dataset.tags.all())
    if topics is not None:
        dataset.topics.set(topics)
    reindex(dataset)
    after = {field: getattr(dataset, field, changes.get(field)) for field in before if field != "tags"}
    if "tags" in before:
        after["tags"] = changes["tags"]
    audit_record(actor=actor, action="dataset.update", obj=dataset, before=before, after=after)
    return dataset


def _move(dataset: Dataset, *, actor, allowed: set[str], to: str, kind: str, text: str,
          action: str) -> Dataset:
    """Move the dataset only if it is still in a state that allows it (a conditional update,
    so a Walidata approving and a producer withdrawing at the same moment cannot both win)."""
    now = timezone.now()
    # dct:issued is the first publication; a dataset published again after a withdrawal keeps it.
    extra = {"published_at": Coalesce(F("published_at"), Value(now))} if to == Status.PUBLISHED else {}
    moved = Dataset.objects.filter(pk=dataset.pk, status__in=allowed).update(
        status=to, modified_at=now, **extra
    )
    if not moved:
        _refuse(_("Dataset sudah berpindah status; muat ulang halaman."))
    before = dataset.status
    dataset.refresh_from_db()
    ReviewNote.objects.create(dataset=dataset, kind=kind, author=actor, text=text)
    _search_later(dataset)
    audit_record(actor=actor, action=action, obj=dataset, before={"status": before},
                 after={"status": dataset.status, "note": text or None})
    return dataset


def _walidata_users():
    from kotacerdas.accounts.models import User
    from kotacerdas.opendata.queries import WALIDATA_ROLES

    return User.objects.filter(
        is_active=True, staff_membership__agency__code=settings.OPENDATA_WALIDATA_AGENCY,
        staff_membership__role__in=WALIDATA_ROLES,
    )


def _producers(dataset: Dataset):
    from kotacerdas.accounts.models import User

    return User.objects.filter(is_active=True, staff_membership__agency_id=dataset.agency_id)


@transaction.atomic
def dataset_submit(*, actor, dataset: Dataset, text: str = "") -> Dataset:
    _require_producer(actor, dataset)
    if not dataset.resources.exists():
        _refuse(_("Tambahkan minimal satu sumber data (berkas atau tautan) sebelum diajukan."))
    dataset = _move(dataset, actor=actor, allowed={Status.DRAFT, Status.RETURNED, Status.WITHDRAWN},
                    to=Status.REVIEW, kind=ReviewNote.Kind.SUBMIT, text=text.strip(), action="dataset.submit")
    for user in _walidata_users():
        if user.pk != actor.pk:
            message_create(user=user, template="dataset_submitted", context={"dataset": dataset})
    return dataset


@transaction.atomic
def dataset_comment(*, actor, dataset: Dataset, text: str) -> ReviewNote:
    if not (is_walidata(actor) or is_producer(actor, dataset)):
        raise NotAllowed(_("Anda tidak dapat mengomentari dataset ini."))
    if not text.strip():
        _refuse(_("Komentar kosong."), "text")
    note = ReviewNote.objects.create(dataset=dataset, kind=ReviewNote.Kind.COMMENT, author=actor,
                                     text=text.strip())
    audit_record(actor=actor, action="dataset.comment", obj=dataset, after={"note": note.text})
    return note


@transaction.atomic
def dataset_return(*, actor, dataset: Dataset, text: str) -> Dataset:
    _require_walidata(actor)
    if not text.strip():
        _refuse(_("Tuliskan apa yang harus diperbaiki produsen data."), "text")
    dataset = _move(dataset, actor=actor, allowed={Status.REVIEW}, to=Status.RETURNED,
                    kind=ReviewNote.Kind.RETURN, text=text.strip(), action="dataset.return")
    for user in _producers(dataset):
        message_create(user=user, template="dataset_returned", context={"dataset": dataset, "text": text})
    return dataset


@transaction.atomic
def dataset_approve(*, actor, dataset: Dataset, text: str = "") -> Dataset:
    _require_walidata(actor)
    dataset = _move(dataset, actor=actor, allowed={Status.REVIEW}, to=Status.PUBLISHED,
                    kind=ReviewNote.Kind.APPROVE, text=text.strip(), action="dataset.approve")
    for user in _producers(dataset):
        message_create(user=user, template="dataset_published", context={"dataset": dataset})
    return dataset


@transaction.atomic
def dataset_withdraw(*, actor, dataset: Dataset, text: str) -> Dataset:
    if not (is_walidata(actor) or is_producer(actor, dataset)):
        raise NotAllowed(_("Anda tidak dapat menarik dataset ini."))
    if not text.strip():
        _refuse(_("Tuliskan alasan penarikan."), "text")
    return _move(dataset, actor=actor, allowed={Status.PUBLISHED, Status.REVIEW}, to=Status.WITHDRAWN,
                 kind=ReviewNote.Kind.WITHDRAW, text=text.strip(), action="dataset.withdraw")


@transaction.atomic
def dataset_set_private(*, actor, dataset: Dataset, private: bool) -> Dataset:
    """A change of visibility bumps metadata_modified too (CKAN bug #9116: a dataset made
    public with an old timestamp is never picked up by incremental harvests)."""
    if not (is_walidata(actor) or is_producer(actor, dataset)):
        raise NotAllowed(_("Anda tidak dapat mengubah dataset ini."))
    before = dataset.private
    Dataset.objects.filter(pk=dataset.pk).update(private=private, modified_at=timezone.now())
    _search_later(dataset)
    dataset.refresh_from_db()
    audit_record(actor=actor, action="dataset.visibility", obj=dataset, before={"private": before},
                 after={"private": private})
    return dataset


# -- resources ------------------------------------------------------------------------------

EXTENSIONS = {".csv": "CSV", ".xlsx": "XLSX", ".json": "JSON", ".geojson": "GeoJSON", ".pdf": "PDF"}


def sniff_format(head: bytes, filename: str) -> str:
    """The file's real format from its content; the name only separates JSON from GeoJSON
    and is never trusted on its own."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return "PDF"
    if head.startswith(b"PK\x03\x04"):
        return "XLSX"
    if stripped[:1] in (b"{", b"["):
        return "GeoJSON" if b'"FeatureCollection"' in head or b'"Feature"' in head \
            or filename.lower().endswith(".geojson") else "JSON"
    if b"\x00" in head:
        return ""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        if error.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return ""
    return "CSV"


def _check_upload(upload: UploadedFile) -> tuple[str, int]:
    limit = settings.OPENDATA_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size is None or upload.size == 0:
        _refuse(_("Berkas kosong."), "file")
    if upload.size > limit:
        _refuse(_("Berkas terlalu besar (maksimal {mb} MB)."), "file",
                mb=settings.OPENDATA_MAX_UPLOAD_MB)
    upload.seek(0)
    head = upload.read(64 * 1024)
    upload.seek(0)
    fmt = sniff_format(head, upload.name or "")
    extension = Path(upload.name or "").suffix.lower()
    if not fmt or extension not in EXTENSIONS:
        _refuse(_("Jenis berkas tidak didukung. Unggah CSV, XLSX, JSON, GeoJSON, atau PDF."), "file")
    declared = EXTENSIONS[extension]
    if {declared, fmt} == {"JSON", "GeoJSON"}:
        fmt = declared
    if declared != fmt:
        _refuse(_("Isi berkas bukan {declared} seperti namanya (terbaca sebagai {found})."), "file",
                declared=declared, found=fmt)
    if fmt == "XLSX":
        try:
            with zipfile.ZipFile(upload) as archive:
                if "xl/workbook.xml" not in archive.namelist():
                    raise zipfile.BadZipFile
        except zipfile.BadZipFile:
            _refuse(_("Berkas XLSX rusak atau bukan lembar kerja Excel."), "file")
        upload.seek(0)
    if fmt in ("JSON", "GeoJSON") and upload.size <= 20 * 1024 * 1024:
        try:
            json.load(upload)
        except (ValueError, UnicodeDecodeError):
            _refuse(_("Berkas JSON tidak sah."), "file")
        upload.seek(0)
    return fmt, upload.size


def _store_version(resource: Resource, upload: UploadedFile, actor) -> ResourceVersion:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    number = (resource.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    original = Path(upload.name or "data").name
    version = ResourceVersion(resource=resource, number=number, original_name=original, size=upload.size or 0,
                              hash=f"sha256:{digest.hexdigest()}", uploaded_by=actor)
    version.file.save(original, upload, save=False)
    version.save()
    resource.filename = original
    resource.size = version.size
    resource.hash = version.hash
    resource.mimetype = getattr(upload, "content_type", "") or ""
    return version


def _schedule_load(resource: Resource) -> None:
    if resource.format in Resource.TABULAR:
        resource.load_status = Resource.Load.PENDING
        resource.load_error = ""
        resource_id = resource.pk
        transaction.on_commit(lambda: _enqueue_load(resource_id))
    else:
        resource.load_status = Resource.Load.NONE


def _enqueue_load(resource_id) -> None:
    from kotacerdas.opendata.tasks import datastore_load

    datastore_load(str(resource_id))


@transaction.atomic
def resource_add(*, actor, dataset: Dataset, name: str, description: str = "",
                 upload: UploadedFile | None = None, url: str = "", format: str = "") -> Resource:
    _require_producer(actor, dataset)
    if upload is None and not url.strip():
        _refuse(_("Unggah berkas atau isi tautan."), "file")
    fallback = (upload.name or "") if upload is not None else url
    resource = Resource(dataset=dataset, name=(name or "").strip() or fallback[:250],
                        description=description.strip(),
                        position=dataset.resources.count())
    if upload is not None:
        resource.format, _size = _check_upload(upload)
        resource.save()
        _store_version(resource, upload, actor)
    else:
        resource.url = url.strip()
        resource.format = format if format in Resource.Format.values else ""
    _schedule_load(resource)
    resource.save()
    reindex(dataset)
    audit_record(actor=actor, action="resource.add", obj=resource,
                 after={"dataset": dataset.name, "name": resource.name, "format": resource.format,
                        "hash": resource.hash or None, "url": resource.url or None})
    return resource


@transaction.atomic
def resource_replace(*, actor, resource: Resource, upload: UploadedFile) -> ResourceVersion:
    """A new version of the file; the earlier ones stay downloadable from the resource page."""
    _require_producer(actor, resource.dataset)
    fmt, _size = _check_upload(upload)
    if resource.format and fmt != resource.format:
        _refuse(_("Versi baru harus berformat {format} seperti sebelumnya."), "file", format=resource.format)
    before = {"hash": resource.hash, "size": resource.size}
    resource.format = fmt
    version = _store_version(resource, upload, actor)
    resource.modified_at = timezone.now()
    _schedule_load(resource)
    resource.save()
    reindex(resource.dataset)
    audit_record(actor=actor, action="resource.replace", obj=resource, before=before,
                 after={"hash": resource.hash, "size": resource.size, "version": version.number})
    return version


@transaction.atomic
def resource_update(*, actor, resource: Resource, name: str, description: str = "") -> Resource:
    _require_producer(actor, resource.dataset)
    before = {"name": resource.name, "description": resource.description}
    resource.name = name.strip() or resource.name
    resource.description = description.strip()
    resource.modified_at = timezone.now()
    resource.save()
    reindex(resource.dataset)
    audit_record(actor=actor, action="resource.update", obj=resource, before=before,
                 after={"name": resource.name, "description": resource.description})
    return resource


@transaction.atomic
def resource_delete(*, actor, resource: Resource) -> None:
    _require_producer(actor, resource.dataset)
    from kotacerdas.opendata.datastore.load import drop_table

    dataset = resource.dataset
    audit_record(actor=actor, action="resource.delete", obj=resource,
                 before={"name": resource.name, "hash": resource.hash or None})
    drop_table(resource)
    resource.delete()
    reindex(dataset)


@transaction.atomic
def resource_set_types(*, actor, resource: Resource, types: dict[str, str]) -> Resource:
    """The producer corrects what inference guessed; the table is loaded again with those types."""
    _require_producer(actor, resource.dataset)
    valid = set(DatastoreField.Type.values)
    fields = {f.name: f for f in resource.fields.all()}
    before, after = {}, {}
    for name, wanted in types.items():
        if name not in fields or wanted not in valid:
            _refuse(_("Kolom atau jenis tidak dikenal: {name}."), "types", name=name)
        if fields[name].type != wanted:
            before[name], after[name] = fields[name].type, wanted
            fields[name].type = wanted
            fields[name].save(update_fields=["type"])
    if after:
        _schedule_load(resource)
        resource.save(update_fields=["load_status", "load_error"])
        audit_record(actor=actor, action="resource.types", obj=resource, before=before, after=after)
    return resource


def resource_load(*, resource_id) -> Resource | None:
    """Load the current file into the datastore (run by the worker). A failure is kept on the
    resource for the producer to read, never raised into the void."""
    from kotacerdas.opendata.datastore.load import load_table

    resource = Resource.objects.select_related("dataset").filter(pk=resource_id).first()
    if resource is None or resource.format not in Resource.TABULAR:
        return resource
    version = resource.versions.order_by("-number").first()
    if version is None:
        return resource
    overrides = {f.name: f.type for f in resource.fields.all() if f.type != f.inferred_type}
    try:
        # Outside a transaction: on SQLite the loader commits in batches instead of locking
        # out every other writer for the whole load; it swaps the finished table in itself.
        result = load_table(resource, Path(version.file.path), format=resource.format, overrides=overrides)
        with transaction.atomic():
            resource.load_status = Resource.Load.DONE
            resource.load_error = ""
            resource.load_problems = result.problems
            resource.row_count = result.row_count
            resource.save(update_fields=["load_status", "load_error", "load_problems", "row_count"])
            reindex(resource.dataset)
    except Exception as error:  # noqa: BLE001 - the producer must see why, whatever it was
        Resource.objects.filter(pk=resource.pk).update(
            load_status=Resource.Load.FAILED, load_error=str(error)[:2000]
        )
        resource.refresh_from_db()
    return resource


def topics_load_reference() -> int:
    """The six smart-city dimensions (Kominfo) as the first topics."""
    import csv

    path = Path(settings.BASE_DIR) / "data" / "smart_city_dimensions.csv"
    added = 0
    seen = set()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            dimension = row["dimensi"]
            if dimension in seen:
                continue
            seen.add(dimension)
            name = dimension.lower().replace(" ", "-")
            _topic, created = Topic.objects.get_or_create(
                name=name,
                defaults={"title": dimension, "title_en": dimension, "description": row["deskripsi_id"]},
            )
            added += created
    return added
