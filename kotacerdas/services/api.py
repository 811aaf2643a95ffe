from ninja import Router, Schema
from ninja import Status as Reply

from kotacerdas.services import queries

router = Router(tags=["services"])


class AgencyRef(Schema):
    code: str
    name: str


class ServiceOut(Schema):
    slug: str
    name: str
    agency: AgencyRef | None
    all_kelurahan: bool
    category: str
    requirements: list[str]
    procedure: list[str]
    sla_days: int
    fee: str
    product: str
    online: bool


class FieldOut(Schema):
    name: str
    label: str
    type: str
    required: bool
    help: str
    choices: list[str]
    accept: list[str]
    max_mb: int


class ServiceDetailOut(ServiceOut):
    summary: str
    life_events: list[str]
    complaint_channel: str
    legal_basis: list[str]
    requires_nik: bool
    form: list[FieldOut]


class NotFoundOut(Schema):
    detail: str


def _service(service, *, detail: bool = False) -> dict:
    data = {
        "slug": service.slug, "name": service.name, "all_kelurahan": service.all_kelurahan,
        "agency": {"code": service.agency.code, "name": service.agency.name} if service.agency else None,
        "category": service.category, "requirements": service.requirements,
        "procedure": service.procedure, "sla_days": service.sla_workdays, "fee": service.fee,
        "product": service.product, "online": service.online,
    }
    if detail:
        data.update(
            summary=service.summary, life_events=service.life_events,
            complaint_channel=service.complaint_channel, legal_basis=service.legal_basis,
            requires_nik=service.requires_nik,
            form=[
                {"name": f.name, "label": f.label, "type": f.type, "required": f.required, "help": f.help,
                 "choices": f.choices, "accept": f.accept, "max_mb": f.max_mb}
                for f in service.fields.all()
            ],
        )
    return data


@router.get("", response=list[ServiceOut], summary="Katalog layanan publik")
def list_services(request, q: str = "", agency: str = "", category: str = "", life_event: str = ""):
    services = queries.catalog(text=q, agency=agency, category=category, life_event=life_event)
    return [_service(s) for s in services]


@router.get("/{slug}", response={200: ServiceDetailOut, 404: NotFoundOut},
            summary="Standar pelayanan dan formulir satu layanan")
def get_service(request, slug: str):
    service = queries.service_public(slug)
    if service is None:
        return Reply(404, {"detail": "Layanan tidak ditemukan. / Service not found."})
    return _service(service, detail=True)
