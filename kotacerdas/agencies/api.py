from ninja import Router, Schema

from kotacerdas.agencies.queries import active_agencies

router = Router(tags=["agencies"])


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str


@router.get("", response=list[AgencyOut], summary="Perangkat daerah / agencies (OPD)")
def list_agencies(request):
    return list(active_agencies())
