import re
from datetime import date
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kotacerdas.cases import actions
from kotacerdas.cases.models import Case, CaseEvent, Status
from kotacerdas.cases.tests.conftest import wib
from kotacerdas.conftest import PASSWORD, otp_for

S = Status


def login_staff(user) -> Client:
    """A second browser: for tests where two officers look at the same case."""
    client = Client()
    assert client.post("/akun/masuk/", {"identifier": user.email, "password": PASSWORD}).status_code == 302
    assert client.post("/akun/dua-langkah/", {"otp": otp_for(user)}).status_code == 302
    return client


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def row_order(html: str, codes: list[str]) -> list[str]:
    return sorted((c for c in codes if c in html), key=html.index)


# --- residents ------------------------------------------------------------------------------


def test_resident_sees_her_own_case(client, personas, open_case):
    case = open_case(title="Kartu keluarga baru")
    client.force_login(personas.alice)
    html = page(client.get(f"/perkara-saya/{case.tracking_code}/"))
    assert "Kartu keluarga baru" in html
    assert case.tracking_code in page(client.get("/perkara-saya/"))


def test_other_resident_gets_404_on_her_case(client, personas, open_case):
    case = open_case()
    client.force_login(personas.bob)
    assert client.get(f"/perkara-saya/{case.tracking_code}/").status_code == 404
    assert case.tracking_code not in page(client.get("/perkara-saya/"))


def test_resident_page_never_shows_internal_notes(client, personas, open_case):
    case = open_case()
    actions.case_comment(case=case, actor=personas.operator, text="Catatan rahasia petugas", public=False)
    client.force_login(personas.alice)
    assert "Catatan rahasia petugas" not in page(client.get(f"/perkara-saya/{case.tracking_code}/"))


def test_anonymous_visitor_is_sent_to_login_for_my_cases(client, personas, open_case):
    case = open_case()
    response = client.get(f"/perkara-saya/{case.tracking_code}/")
    assert response.status_code == 302
    assert response.url.startswith("/akun/masuk/")


# --- who reaches the staff pages ------------------------------------------------------------


def test_officer_of_other_agency_gets_404(personas, open_case, staff_client):
    case = open_case()
    client = staff_client(personas.outsider)
    assert client.get(f"/staf/perkara/{case.tracking_code}/").status_code == 404


def test_officer_of_other_agency_can_open_the_case_once_handed_over(personas, open_case, staff_client):
    case = open_case()
    outsider = staff_client(personas.outsider)
    assert outsider.get(f"/staf/perkara/{case.tracking_code}/").status_code == 404

    actions.case_handover(case=case, to_agency=personas.dpupr, actor=personas.operator,
                          reason="Saluran air, bukan dokumen")

    html = page(outsider.get(f"/staf/perkara/{case.tracking_code}/"))
    assert "Simpan status" in html  # the new owner may act
    assert "Saluran air, bukan dokumen" in html  # and sees why it came


def test_original_agency_still_reads_a_handed_over_case_but_has_no_forms(personas, open_case, staff_client):
    case = open_case()
    actions.case_handover(case=case, to_agency=personas.dpupr, actor=personas.operator, reason="salah alamat")
    html = page(staff_client(personas.operator).get(f"/staf/perkara/{case.tracking_code}/"))
    assert "Anda hanya dapat membaca riwayatnya" in html
    assert "Simpan status" not in html


def test_resident_is_sent_away_from_the_staff_pages(client, personas, open_case):
    case = open_case()
    client.force_login(personas.alice)
    for url in ("/staf/", f"/staf/perkara/{case.tracking_code}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == "/"
    response = client.post(f"/staf/perkara/{case.tracking_code}/status/", {"to_status": S.REJECTED})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == S.SUBMITTED


def test_officer_without_totp_is_sent_to_the_second_step(client, personas, open_case):
    case = open_case()
    client.force_login(personas.operator)  # password only, no second factor in this session
    response = client.get("/staf/")
    assert response.status_code == 302
    assert response.url.startswith("/akun/dua-langkah/")
    response = client.post(f"/staf/perkara/{case.tracking_code}/status/", {"to_status": S.REJECTED})
    assert response.status_code == 302
    assert response.url.startswith("/akun/dua-langkah/")
    assert Case.objects.get(pk=case.pk).status == S.SUBMITTED


def test_anonymous_visitor_is_sent_to_login_for_the_inbox(client, db):
    response = client.get("/staf/")
    assert response.status_code == 302
    assert response.url == "/akun/masuk/?next=/staf/"


# --- inbox -----------------------------------------------------------------------------------


def test_inbox_lists_only_my_agencys_open_cases_by_due_date(personas, open_case, staff_client):
    with time_machine.travel(wib(2026, 7, 6), tick=False):
        late = open_case(title="Sepuluh hari", sla_workdays=10)
        soon = open_case(title="Dua hari", sla_workdays=2)
        middle = open_case(title="Lima hari", sla_workdays=5)
        done = open_case(title="Sudah ditolak", sla_workdays=1)
        actions.case_transition(case=done, to_status=S.REJECTED, actor=personas.operator)
        theirs = open_case(title="Jalan berlubang", agency=personas.dpupr)
    with time_machine.travel(wib(2026, 7, 6, 10)):
        html = page(staff_client(personas.operator).get("/staf/"))

    codes = [c.tracking_code for c in (late, soon, middle, done, theirs)]
    assert row_order(html, codes) == [soon.tracking_code, middle.tracking_code, late.tracking_code]


def test_inbox_marks_overdue_and_nearly_due_cases(personas, open_case, staff_client):
    with time_machine.travel(wib(2026, 7, 1), tick=False):
        overdue = open_case(title="Lewat", sla_workdays=2)  # due Fri 3 Jul
    with time_machine.travel(wib(2026, 7, 6), tick=False):
        nearly = open_case(title="Besok", sla_workdays=1)  # due Tue 7 Jul
        relaxed = open_case(title="Santai", sla_workdays=10)  # due Mon 20 Jul
    with time_machine.travel(wib(2026, 7, 6, 10)):
        html = page(staff_client(personas.operator).get("/staf/"))

    rows = {case.tracking_code: _row_of(html, case.tracking_code) for case in (overdue, nearly, relaxed)}
    assert "Lewat tenggat" in rows[overdue.tracking_code]
    assert "Hampir tenggat" in rows[nearly.tracking_code]
    assert "tenggat" not in rows[relaxed.tracking_code]


def _row_of(html: str, code: str) -> str:
    at = html.index(f">{code}<")
    return html[html.rindex("<tr>", 0, at): html.index("</tr>", at)]


def test_paused_case_past_its_due_date_is_not_marked_overdue(personas, open_case, staff_client):
    with time_machine.travel(wib(2026, 7, 1), tick=False):
        case = open_case(sla_workdays=2)
        actions.case_transition(case=case, to_status=S.WAITING_CITIZEN, actor=personas.operator)
    with time_machine.travel(wib(2026, 7, 6, 10)):
        client = staff_client(personas.operator)
        row = _row_of(page(client.get("/staf/")), case.tracking_code)
        assert "Lewat tenggat" not in row
        assert "Jeda: menunggu warga" in row
        assert case.tracking_code not in page(client.get("/staf/?overdue=on"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=verified", ["verified"]),
        ("kind=report", ["report"]),
        ("overdue=on", ["overdue"]),
        ("mine=on", ["mine"]),
        ("status=rejected", ["rejected"]),  # a final status is shown when asked for
        ("", ["plain", "verified", "report", "overdue", "mine"]),
    ],
)
def test_inbox_filters(personas, open_case, staff_client, query, expected):
    with time_machine.travel(wib(2026, 7, 1), tick=False):
        cases = {"overdue": open_case(sla_workdays=1)}
    with time_machine.travel(wib(2026, 7, 6), tick=False):
        cases["plain"] = open_case()
        cases["verified"] = open_case()
        actions.case_transition(case=cases["verified"], to_status=S.VERIFIED, actor=personas.kepala)
        cases["report"] = open_case(kind="report")
        cases["mine"] = open_case()
        actions.case_assign(case=cases["mine"], assignee=personas.operator, actor=personas.kepala)
        cases["rejected"] = open_case()
        actions.case_transition(case=cases["rejected"], to_status=S.REJECTED, actor=personas.kepala)
    with time_machine.travel(wib(2026, 7, 6, 10)):
        html = page(staff_client(personas.operator).get(f"/staf/?{query}"))

    shown = sorted(name for name, case in cases.items() if case.tracking_code in html)
    assert shown == sorted(expected)


def test_htmx_request_gets_only_the_rows(personas, open_case, staff_client):
    case = open_case()
    client = staff_client(personas.operator)
    fragment = page(client.get("/staf/?kind=information", headers={"HX-Request": "true"}))
    full = page(client.get("/staf/?kind=information"))

    assert case.tracking_code in fragment
    assert "<html" not in fragment
    assert 'class="filters"' not in fragment
    assert fragment.lstrip().startswith('<p class="help">')
    assert "<html" in full and 'class="filters"' in full


def test_next_page_link_keeps_the_filters(personas, open_case, staff_client):
    reports = [open_case(kind="report") for _ in range(51)]
    service = open_case(kind="service")
    client = staff_client(personas.operator)
    html = page(client.get("/staf/?kind=report"))
    assert "51 perkara" in html

    href = re.search(r'<a href="(\?[^"]*)">Berikutnya</a>', html).group(1)
    second = page(client.get("/staf/" + unescape(href)))

    assert "Halaman 2 dari 2" in second
    assert service.tracking_code not in second
    assert sum(case.tracking_code in second for case in reports) == 1
    back = re.search(r'<a href="(\?[^"]*)">Sebelumnya</a>', second).group(1)
    assert "Halaman 1 dari 2" in page(client.get("/staf/" + unescape(back)))


def _inbox_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        page(client.get("/staf/"))
    return len(queries)


def test_inbox_query_count_does_not_grow_with_the_number_of_cases(
    personas, open_case, staff_client, django_assert_max_num_queries
):
    from kotacerdas.regions.models import Region

    kelurahan = Region.objects.create(code="35.72.01.1001", name="Sananwetan", level="kelurahan")
    client = staff_client(personas.operator)

    def add(n):
        for i in range(n):
            case = open_case(kelurahan=kelurahan, kind=["service", "report"][i % 2])
            actions.case_assign(case=case, assignee=[personas.operator, personas.kepala][i % 2],
                                actor=personas.kepala)

    add(5)
    with_5 = _inbox_queries(client)
    add(25)
    with_30 = _inbox_queries(client)

    assert with_30 == with_5
    with django_assert_max_num_queries(with_5):
        html = page(client.get("/staf/"))
    assert html.count("Sananwetan") == 30


# --- staff actions through the pages --------------------------------------------------------


def test_officer_changes_status_through_the_page(personas, open_case, staff_client):
    case = open_case()
    client = staff_client(personas.operator)
    response = client.post(f"/staf/perkara/{case.tracking_code}/status/",
                           {"to_status": S.WAITING_CITIZEN, "note": "Foto KK kurang jelas"})
    assert response.status_code == 302
    assert response.url == f"/staf/perkara/{case.tracking_code}/"
    assert Case.objects.get(pk=case.pk).status == S.WAITING_CITIZEN
    html = page(client.get(response.url))
    assert "Foto KK kurang jelas" in html


@pytest.mark.parametrize("to_status", ["bogus", S.CLOSED])  # unknown, and not allowed from submitted
def test_bad_status_shows_an_error(personas, open_case, staff_client, to_status):
    case = open_case()
    client = staff_client(personas.operator)
    response = client.post(f"/staf/perkara/{case.tracking_code}/status/", {"to_status": to_status},
                           follow=True)
    assert "Perubahan status ini tidak diizinkan." in page(response)
    assert Case.objects.get(pk=case.pk).status == S.SUBMITTED


def test_status_change_from_an_old_page_shows_the_conflict(personas, open_case, staff_client):
    """The page offered "rejected" when the case was new; meanwhile it was closed."""
    case = open_case()
    client = staff_client(personas.operator)
    actions.case_transition(case=case, to_status=S.REJECTED, actor=personas.kepala)
    actions.case_transition(case=case, to_status=S.CLOSED, actor=personas.kepala)
    response = client.post(f"/staf/perkara/{case.tracking_code}/status/", {"to_status": S.REJECTED},
                           follow=True)
    assert "Perubahan status ini tidak diizinkan." in page(response)
    assert Case.objects.get(pk=case.pk).status == S.CLOSED


def test_officer_of_other_agency_cannot_post_actions(personas, open_case, staff_client):
    case = open_case()
    client = staff_client(personas.outsider)
    base = f"/staf/perkara/{case.tracking_code}"
    assert client.post(f"{base}/status/", {"to_status": S.REJECTED}).status_code == 404
    assert client.post(f"{base}/komentar/", {"text": "x", "public": "on"}).status_code == 404
    handover = {"to_agency": personas.dpupr.pk, "reason": "x"}
    assert client.post(f"{base}/disposisi/", handover).status_code == 404
    assert client.post(f"{base}/tugaskan/", {"assignee": personas.outsider.pk}).status_code == 404
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_sender_posting_after_handover_sees_an_error(personas, open_case, staff_client):
    case = open_case()
    actions.case_handover(case=case, to_agency=personas.dpupr, actor=personas.kepala, reason="salah alamat")
    response = staff_client(personas.operator).post(
        f"/staf/perkara/{case.tracking_code}/status/", {"to_status": S.REJECTED}, follow=True
    )
    assert "bukan milik perangkat daerah Anda" in page(response)
    assert Case.objects.get(pk=case.pk).status == S.SUBMITTED


@pytest.mark.parametrize("public", [True, False])
def test_officer_comments_through_the_page(personas, open_case, staff_client, public):
    case = open_case()
    data = {"text": "Berkas sudah kami terima"} | ({"public": "on"} if public else {})
    response = staff_client(personas.operator).post(f"/staf/perkara/{case.tracking_code}/komentar/", data)
    assert response.status_code == 302
    event = CaseEvent.objects.get(case=case, text="Berkas sudah kami terima")
    assert event.is_public is public
    assert event.type == (CaseEvent.Type.REPLY if public else CaseEvent.Type.NOTE)


def test_empty_comment_shows_an_error(personas, open_case, staff_client):
    case = open_case()
    response = staff_client(personas.operator).post(
        f"/staf/perkara/{case.tracking_code}/komentar/", {"text": ""}, follow=True
    )
    assert 'class="msg msg-error"' in page(response)
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_comment_with_a_nul_byte_is_refused_by_the_form(personas, open_case, staff_client):
    case = open_case()
    response = staff_client(personas.operator).post(
        f"/staf/perkara/{case.tracking_code}/komentar/", {"text": "a\x00b", "public": "on"}, follow=True
    )
    assert 'class="msg msg-error"' in page(response)
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_officer_hands_over_through_the_page(personas, open_case, staff_client):
    case = open_case()
    response = staff_client(personas.operator).post(
        f"/staf/perkara/{case.tracking_code}/disposisi/",
        {"to_agency": personas.dpupr.pk, "reason": "Drainase, kewenangan DPUPR"},
    )
    assert response.status_code == 302
    stored = Case.objects.get(pk=case.pk)
    assert stored.agency == personas.dpupr
    assert stored.handovers.get().reason == "Drainase, kewenangan DPUPR"


def test_officer_assigns_through_the_page(personas, open_case, staff_client):
    case = open_case()
    response = staff_client(personas.kepala).post(
        f"/staf/perkara/{case.tracking_code}/tugaskan/", {"assignee": personas.operator.pk}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).assignee == personas.operator


def test_assigning_an_officer_of_another_agency_is_refused_by_the_form(personas, open_case, staff_client):
    case = open_case()
    response = staff_client(personas.kepala).post(
        f"/staf/perkara/{case.tracking_code}/tugaskan/", {"assignee": personas.outsider.pk}, follow=True
    )
    assert 'class="msg msg-error"' in page(response)
    assert Case.objects.get(pk=case.pk).assignee is None


def test_get_on_an_action_url_changes_nothing(personas, open_case, staff_client):
    case = open_case()
    response = staff_client(personas.operator).get(
        f"/staf/perkara/{case.tracking_code}/status/?to_status=rejected"
    )
    assert response.status_code == 405
    assert Case.objects.get(pk=case.pk).status == S.SUBMITTED


# --- public tracking ------------------------------------------------------------------------


def test_tracking_page_shows_status_and_public_timeline_without_personal_data(client, personas, open_case):
    case = open_case(title="Akta kelahiran anak kedua")
    actions.case_transition(case=case, to_status=S.IN_PROGRESS, actor=personas.operator,
                            note="Berkas lengkap, sedang dicetak")
    actions.case_comment(case=case, actor=personas.operator, text="NIK ibu beda dengan KK", public=False)

    html = page(client.get("/lacak/", {"code": case.tracking_code}))

    assert "Akta kelahiran anak kedua" in html
    assert "Diproses" in html
    assert "Berkas lengkap, sedang dicetak" in html
    assert "Dinas Kependudukan dan Pencatatan Sipil" in html
    for private in ("Alice", "Wulandari", "alice@warga.test", "81200000001", "3572034506900001",
                    "NIK ibu beda", "Ora Operator"):
        assert private not in html, private


def test_tracking_accepts_the_code_as_people_type_it(client, personas, open_case):
    case = open_case()
    typed = case.tracking_code.replace("-", " ").lower()
    assert case.tracking_code in page(client.get("/lacak/", {"code": typed}))


@pytest.mark.parametrize("code", ["ABCD-EFGH", "zzzz"])
def test_unknown_tracking_code_says_so(client, db, code):
    html = page(client.get("/lacak/", {"code": code}))
    assert "Kode lacak tidak ditemukan" in html


def test_tracking_page_without_a_code_shows_just_the_form(client, db):
    html = page(client.get("/lacak/"))
    assert 'name="code"' in html
    assert "tidak ditemukan" not in html


def test_tracking_page_shows_the_due_date(client, personas, open_case, reference_holidays):
    with time_machine.travel(wib(2026, 3, 18, 10), tick=False):
        case = open_case(sla_workdays=5)
    assert case.due_date == date(2026, 3, 31)
    assert "31 Maret 2026" in page(client.get("/lacak/", {"code": case.tracking_code}))
