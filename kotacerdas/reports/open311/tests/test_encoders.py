"""The JSON and XML encoders: any text survives both, XML stays well-formed whatever a
resident types, and the XML follows the spec's conventions."""

import json

from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.reports.open311.encoders import render, to_json, to_xml
from kotacerdas.reports.open311.tests.conftest import as_text, parse_xml, xml_data

XML_CHARS = st.characters(
    blacklist_categories=["Cs"],  # lone surrogates are not text
    blacklist_characters=[chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"],
)
texts = st.text(alphabet=XML_CHARS, min_size=1)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)


@given(description=texts)
def test_any_text_survives_xml_and_json(description):
    document = [{"service_request_id": "7KQM-3XPC", "description": description}]

    from_xml = xml_data(parse_xml(to_xml("service_requests", document)))
    from_json = json.loads(to_json(document))

    assert from_json == document
    assert from_xml == [{"service_request_id": "7KQM-3XPC", "description": description}]


@given(description=st.text())
def test_xml_is_well_formed_whatever_the_text(description):
    """Characters XML 1.0 cannot carry (NUL, most control characters) are left out."""
    root = parse_xml(to_xml("errors", [{"code": 400, "description": description}]))

    assert root.tag == "errors"


@given(values=st.dictionaries(st.sampled_from(["a", "b", "lat", "metadata"]), scalars))
def test_both_formats_carry_the_same_scalars(values):
    document = {"service_code": "x", **values}

    assert as_text(json.loads(to_json(document))) == xml_data(parse_xml(to_xml("service", document)))


def test_booleans_are_literal_true_and_false_and_null_is_an_empty_element():
    body = to_xml("service", {"metadata": True, "variable": False, "group": None}).decode()

    assert body == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<service><metadata>true</metadata><variable>false</variable><group/></service>"
    )


def test_lists_are_containers_of_singular_elements():
    body = to_xml(
        "discovery", {"endpoints": [{"formats": ["text/xml", "application/json"]}]}
    ).decode()

    assert body.endswith(
        "<discovery><endpoints><endpoint><formats><format>text/xml</format>"
        "<format>application/json</format></formats></endpoint></endpoints></discovery>"
    )


def test_markup_in_text_is_escaped_not_interpreted():
    root = parse_xml(to_xml("errors", [{"code": 400, "description": "<b>a & b</b>"}]))

    assert root.findtext("./error/description") == "<b>a & b</b>"


def test_json_is_utf8_without_escapes_and_content_types_are_exact():
    response = render([{"description": "Jalan rusak — parah"}], root="service_requests", fmt="json")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "—".encode() in response.content
    assert render([], root="services", fmt="xml")["Content-Type"] == "text/xml; charset=utf-8"


def test_an_empty_list_is_an_empty_container():
    assert to_xml("services", []).endswith(b"<services/>")
    assert to_json([]) == b"[]"
