import pytest

from kotacerdas.cases import actions
from kotacerdas.cases.models import Status

PRIVATE = ("Alice", "Wulandari", "alice@warga.test", "+6281200000001", "81200000001", "3572034506900001")


@pytest.fixture
def worked_case(personas, open_case):
    """A case with everything on its timeline: public steps and things only staff may see."""
    case = open_case(title="Akta kematian")
    actions.case_assign(case=case, assignee=personas.operator, actor=personas.kepala)
    actions.case_comment(case=case, actor=personas.operator, text="Saksi tidak hadir, telepon warga",
                         public=False)
    actions.case_comment(case=case, actor=personas.operator, text="Berkas kami terima.", public=True)
    actions.case_transition(case=case, to_status=Status.IN_PROGRESS, actor=personas.operator,
                            note="Sedang diverifikasi", public=False)
    actions.case_handover(case=case, to_agency=personas.dpupr, actor=personas.operator,
                          reason="Alamat di bantaran sungai, rahasia")
    return case


def test_public_shape(client, personas, worked_case):
    response = client.get(f"/api/v1/cases/{worked_case.tracking_code}")
    assert response.status_code == 200
    body = response.json()

    assert body["tracking_code"] == worked_case.tracking_code
    assert body["kind"] == "information"
    assert body["title"] == "Akta kematian"
    assert body["status"] == "in_progress"
    assert body["status_label"] == "Diproses"
    assert body["agency"] == {"code": "dpupr", "name": "Dinas Pekerjaan Umum dan Penataan Ruang"}
    assert body["due_date"] == worked_case.due_date.isoformat()
    assert body["resolved_at"] is None
    assert [(e["type"], e["status"], e["text"]) for e in body["timeline"]] == [
        ("status", "submitted", ""),
        ("reply", None, "Berkas kami terima."),
        ("handover", None, "Dispendukcapil → DPUPR"),
    ]
    assert body["timeline"][0]["status_label"] == "Diajukan"


def test_no_personal_data_nor_internal_notes_in_the_json(client, personas, worked_case):
    raw = client.get(f"/api/v1/cases/{worked_case.tracking_code}").content.decode()
    for secret in (*PRIVATE, "Saksi tidak hadir", "Sedang diverifikasi", "bantaran sungai", "Ora Operator"):
        assert secret not in raw, secret
    body = client.get(f"/api/v1/cases/{worked_case.tracking_code}").json()
    assert not {"citizen", "assignee", "lat", "lon", "kelurahan"} & set(body)


def test_unknown_code_is_a_json_404(client, db):
    response = client.get("/api/v1/cases/ABCD-EFGH")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "tidak ditemukan" in response.json()["detail"]


@pytest.mark.parametrize("typed", [str.lower, lambda code: code.replace("-", ""),
                                   lambda code: code.replace("-", "").lower()])
def test_codes_are_normalised(client, personas, open_case, typed):
    case = open_case()
    response = client.get(f"/api/v1/cases/{typed(case.tracking_code)}")
    assert response.status_code == 200
    assert response.json()["tracking_code"] == case.tracking_code


def test_resolved_case_reports_when(client, personas, open_case):
    case = open_case()
    actions.case_transition(case=case, to_status=Status.REJECTED, actor=personas.operator,
                            note="Bukan kewenangan kami")
    body = client.get(f"/api/v1/cases/{case.tracking_code}").json()
    assert body["status"] == "rejected"
    assert body["resolved_at"] is not None
    assert body["timeline"][-1]["text"] == "Bukan kewenangan kami"


def test_endpoint_is_in_the_openapi_schema(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/cases/{tracking_code}" in schema["paths"]
