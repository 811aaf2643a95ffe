from typing import Any

from django.db import transaction

from kotacerdas.accounts.models import ApiKey
from kotacerdas.audit.actions import audit_record
from kotacerdas.reports.actions import report_submit
from kotacerdas.reports.models import Category, Privacy, Report


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
) -> Report:
    """A report from a partner's Open311 client: filed like any other (report_submit does
    every check), with the partner recorded in the audit trail. A media_url is kept as a
    link for officers, never fetched: the server would otherwise fetch whatever a client
    names, and the picture would skip the upload checks that strip its metadata."""
    report = report_submit(
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
