"""Spec §1.3 GET Service List and §1.4 GET Service Definition, adapted to Kota Blitar's
report categories (services) and their extra questions (attributes)."""

import pytest

from kotacerdas.reports.models import Category


def test_service_list_has_every_active_category_with_the_spec_fields(api, city, fmt):
    answer = api.get("services", fmt)

    assert answer.status == 200
    codes = [service["service_code"] for service in answer.data]
    assert codes == list(Category.objects.filter(is_active=True).values_list("code", flat=True))
    road = next(s for s in answer.data if s["service_code"] == "jalan-rusak")
    assert list(road) == [
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
    ]
    assert road["service_name"] == "Jalan rusak atau berlubang"
    assert road["group"] == "Jalan dan drainase"
    assert road["type"] == "realtime"
    assert road["keywords"] == "aspal, lubang, jalan"  # comma-separated tags (§1.3)


def test_metadata_says_whether_a_definition_is_needed(api, city):
    services = {s["service_code"]: s for s in api.get("services", "json").data}

    assert services["jalan-rusak"]["metadata"] is True  # asks for the size of the damage
    assert services["saluran-tersumbat"]["metadata"] is False


def test_xml_service_list_is_services_of_service_with_literal_booleans(api, city):
    root = api.get("services", "xml").root

    assert root.tag == "services"
    assert {child.tag for child in root} == {"service"}
    road = next(s for s in root if s.findtext("service_code") == "jalan-rusak")
    assert road.findtext("metadata") == "true"
    drain = next(s for s in root if s.findtext("service_code") == "saluran-tersumbat")
    assert drain.findtext("metadata") == "false"


def test_inactive_categories_are_not_offered(api, city):
    Category.objects.filter(code="pencemaran").update(is_active=False)

    codes = {s["service_code"] for s in api.get("services", "json").data}

    assert "pencemaran" not in codes


def test_both_formats_of_the_list_and_a_definition_agree(api, rubbish):
    api.both("services")
    api.both("services/sampah-tidak-diangkut")


def test_definition_lists_attributes_with_the_spec_fields(api, city, fmt):
    answer = api.get("services/jalan-rusak", fmt)

    assert answer.status == 200
    assert answer.data["service_code"] == "jalan-rusak"
    [size] = answer.data["attributes"]
    assert list(size) == [
        "variable", "code", "datatype", "required", "datatype_description", "order", "description", "values",
    ]
    assert size["code"] == "ukuran"
    assert size["datatype"] == "singlevaluelist"
    assert size["description"] == "Perkiraan ukuran kerusakan"
    keys = [value["key"] for value in size["values"]]
    assert keys == ["kecil", "sedang", "besar"]
    if fmt == "json":
        assert size["variable"] is True and size["required"] is False and size["order"] == 1
    else:
        assert (size["variable"], size["required"], size["order"]) == ("true", "false", "1")


def test_definition_xml_nests_attributes_and_values(api, city):
    root = api.get("services/jalan-rusak", "xml").root

    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "jalan-rusak"
    values = root.findall("./attributes/attribute/values/value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
        ("kecil", "Kecil (kurang dari 1 m)"),
        ("sedang", "Sedang (1-3 m)"),
        ("besar", "Besar (lebih dari 3 m)"),
    ]


def test_orders_are_positive_and_unique_even_when_ours_repeat(api, rubbish):
    attributes = api.get("services/sampah-tidak-diangkut", "json").data["attributes"]

    orders = [a["order"] for a in attributes]
    assert orders == [1, 2, 3, 4, 5]
    assert [a["code"] for a in attributes] == ["jenis", "tps", "sejak", "karung", "catatan"]


@pytest.mark.parametrize(
    "datatype", ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
)
def test_each_of_the_six_datatypes_is_described(api, city, datatype):
    category = Category.objects.get(code="trotoar-rusak")
    values = [{"key": "a", "name": "A"}] if datatype.endswith("list") else []
    category.attributes.create(code="q", description="Pertanyaan", datatype=datatype, values=values)

    [attribute] = api.get("services/trotoar-rusak", "json").data["attributes"]

    assert attribute["datatype"] == datatype
    assert attribute["datatype_description"]
    assert ("values" in attribute) == datatype.endswith("list")


def test_unknown_service_code_is_404_with_an_error_list(api, city, fmt):
    answer = api.get("services/tidak-ada", fmt)

    assert answer.status == 404
    [error] = answer.data
    assert str(error["code"]) == "404"
    assert "tidak-ada" in error["description"]
    assert " / " in error["description"]  # Indonesian / English


def test_errors_xml_is_errors_of_error(api, city):
    root = api.get("services/tidak-ada", "xml").root

    assert root.tag == "errors"
    assert [child.tag for child in root] == ["error"]
    assert [e.tag for e in root[0]] == ["code", "description"]


def test_inactive_category_has_no_definition(api, city):
    Category.objects.filter(code="jalan-rusak").update(is_active=False)

    assert api.get("services/jalan-rusak", "json").status == 404


@pytest.mark.parametrize("jurisdiction", ["blitarkota.go.id", "BLITARKOTA.GO.ID", ""])
def test_jurisdiction_is_optional_and_ours_is_accepted(api, city, jurisdiction):
    assert api.get("services", "json", jurisdiction_id=jurisdiction).status == 200
    assert api.get("services/jalan-rusak", "json", jurisdiction_id=jurisdiction).status == 200


def test_another_jurisdiction_is_404(api, city, fmt):
    answer = api.get("services", fmt, jurisdiction_id="sfgov.org")

    assert answer.status == 404
    assert "blitarkota.go.id" in answer.data[0]["description"]
    assert api.get("services/jalan-rusak", fmt, jurisdiction_id="sfgov.org").status == 404


def test_service_list_costs_the_same_for_any_number_of_categories(api, city, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        api.get("services", "json")
