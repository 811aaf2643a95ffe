"""The documents of GeoReport v2, as the JSON side gives them (the XML side is the same
tree, see encoders.py). Field order is the spec's; optional fields are present with None so
every element has the same shape."""

from typing import NotRequired, TypedDict


class Endpoint(TypedDict):
    specification: str
    url: str
    changeset: str
    type: str  # production | test
    formats: list[str]


class Discovery(TypedDict):
    changeset: str
    contact: str
    key_service: str
    endpoints: list[Endpoint]


class Service(TypedDict):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str  # realtime: the id comes back at once
    keywords: str
    group: str


class Value(TypedDict):
    key: str
    name: str


class Attribute(TypedDict):
    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str | None
    order: int
    description: str
    values: NotRequired[list[Value]]


class ServiceDefinition(TypedDict):
    service_code: str
    attributes: list[Attribute]


class Created(TypedDict):
    service_request_id: str
    service_notice: str | None
    account_id: None  # never echoed: the account is the resident's, not the partner's


class TokenAnswer(TypedDict):
    service_request_id: str
    token: str


class Note(TypedDict):
    """Extension "update history" (GeoReport/v2/Extensions.md #15)."""

    datetime: str
    description: str
    type: str


class Photo(TypedDict):
    media_url: str
    width: int
    height: int
    created_at: str


class ExtendedAttributes(TypedDict):
    status: str  # mySociety's extended status
    kelurahan: str
    kecamatan: str
    supporters: int
    channel: str
    parent_service_request_id: str | None
    photos: list[Photo]


class Request(TypedDict):
    service_request_id: str
    status: str  # open | closed
    status_notes: str | None
    service_name: str
    service_code: str
    description: str
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str
    expected_datetime: str | None
    address: str
    address_id: str
    zipcode: str | None
    lat: float
    long: float
    media_url: str | None
    extended_attributes: NotRequired[ExtendedAttributes]
    notes: NotRequired[list[Note]]


class RequestUpdate(TypedDict):
    """mySociety's GET servicerequestupdates (open311-adapter Role/mySociety.pm)."""

    update_id: str
    service_request_id: str
    status: str  # extended, lower case
    updated_datetime: str
    description: str
    media_url: str | None


class Error(TypedDict):
    code: int
    description: str
