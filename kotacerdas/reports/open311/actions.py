import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from kotacerdas.accounts.models import ApiKey
from kotacerdas.audit.actions import audit_record
from kotacerdas.reports.actions import report_submit
from kotacerdas.reports.models import Category, Privacy, Report


def retry_key(*, api_key: ApiKey, idempotency_key: str, category: Category, reporter, description: str,
              lat: float | None, lon: float | None, address: str, attributes: dict[str, Any] | None,
              media_url: str) -> str:
    """What makes a POST a retry of an earlier one. Open311 has no idempotency key, and a
    client on a flaky connection sends the same request again when it misses the answer:
    the same partner sending the same report on the same day is that retry, and gets the
    first report back. A client that sends an Idempotency-Key header is matched on it alone."""
    if idempotency_key:
        basis: list[Any] = [api_key.pk, "key", idempotency_key]
    else:
        basis = [api_key.pk, timezone.localdate().isoformat(), category.pk, getattr(reporter, "pk", None),
                 description, lat, lon, address, attributes or {}, media_url]
    digest = hashlib.sha256(json.dumps(basis, sort_keys=True, default=str).encode()).hexdigest()
    return f"o311:{digest[:59]}"


@transaction.atomic
def open311_request_submit(
    *,
    api_key: ApiKey,
    category: Category,
    reporter,
    description: str,
    lat: float | None,
    lon: float | None,
    address: str = "",
    anonymous: bool = False,
    attributes: dict[str, Any] | None = None,
    photos: list | None = None,
    media_url: str = "",
    idempotency_key: str = "",
) -> Report:
    """A report from a partner's Open311 client: filed like any other (report_submit does
    every check), with the partner recorded in the audit trail. A media_url is kept as a
    link for officers, never fetched: the server would otherwise fetch whatever a client
    names, and the picture would skip the upload checks that strip its metadata."""
    key = retry_key(api_key=api_key, idempotency_key=idempotency_key, category=category, reporter=reporter,
                    description=description, lat=lat, lon=lon, address=address, attributes=attributes,
                    media_url=media_url)
    earlier = Report.objects.filter(reporter=reporter, submission_key=key).select_related("case").first()
    if earlier is not None:
        return earlier
    report = report_submit(
        submission_key=key,
        reporter=reporter,
        category=category,
        description=description,
        lat=lat,
        lon=lon,
        address=address,
        # A partner vouches for the e-mail or phone it sends, not for the person: anyone can
        # type someone else's. So a report attached to an account that way never shows that
        # resident's name in public; they still get its notifications.
        privacy=Privacy.ANONYMOUS if anonymous or reporter is not None else Privacy.PUBLIC,
        photos=photos,
        attributes=attributes,
        channel="open311",
    )
    if media_url and "media_url" not in report.attributes:
        report.attributes = {**report.attributes, "media_url": media_url}
        report.save(update_fields=["attributes"])
    audit_record(
        actor=reporter,
        action="open311_request",
        obj=report,
        after={"partner": api_key.name, "case": report.case.tracking_code},
    )
    return report
