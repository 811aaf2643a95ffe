"""Survei Kepuasan Masyarakat after a finished application, and the public figures built
from applications and surveys: counts, working days to finish, on-time share, IKM."""

import re
from datetime import date
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kotacerdas.agencies.models import Agency
from kotacerdas.cases.models import Status
from kotacerdas.cases.tests.conftest import wib
from kotacerdas.lib.ikm import ikm
from kotacerdas.services import actions, queries
from kotacerdas.services.errors import ApplicationInvalid, SurveyAlreadyFilled, SurveyNotOpen
from kotacerdas.services.models import SurveyResponse
from kotacerdas.services.tests.conftest import make_service, resident_browser, walk

S = Status
ELEMENTS = SurveyResponse.ELEMENTS


def scores(*values: int) -> dict[str, int]:
    values = values if len(values) == 9 else values * 9
    return dict(zip(ELEMENTS, values, strict=True))


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


# --- The survey ----------------------------------------------------------------------------------


def test_survey_opens_only_once_the_application_is_finished(personas, submit):
    application = walk(submit(), personas.operator, S.VERIFIED, S.IN_PROGRESS)
    with pytest.raises(SurveyNotOpen):
        actions.survey_submit(application=application, actor=personas.alice, scores=scores(4))
    response = resident_browser(personas.alice).post(
        f"/layanan/survei/{application.case.tracking_code}/", scores(4), follow=True
    )
    assert "Survei kepuasan dibuka setelah permohonan selesai." in text(response)
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("then_closed", [False, True])
def test_a_rejected_application_has_no_survey(personas, submit, api, then_closed):
    """The SKM measures the service received. A rejection keeps the time it was decided
    (resolved_at), and closing it afterwards must not open the survey either."""
    application = submit()
    actions.application_reject(application=application, actor=personas.operator, reason="Bukan warga kota")
    if then_closed:
        walk(application, personas.operator, S.CLOSED)
    assert application.case.resolved_at is not None
    with pytest.raises(SurveyNotOpen):
        actions.survey_submit(application=application, actor=personas.alice, scores=scores(4))
    body = api(personas.alice).get(f"/api/v1/applications/{application.case.tracking_code}").json()
    assert body["survey_open"] is False
    assert not SurveyResponse.objects.exists()


def test_a_finished_application_keeps_its_survey_open_once_closed(personas, finished):
    application, _document = finished()
    walk(application, personas.operator, S.CLOSED)
    actions.survey_submit(application=application, actor=personas.alice, scores=scores(3))
    assert SurveyResponse.objects.count() == 1


def test_resident_fills_the_survey_once(personas, finished):
    application, _document = finished()
    code = application.case.tracking_code
    alice = resident_browser(personas.alice)
    page = text(alice.get(f"/perkara-saya/{code}/"))
    assert f"/layanan/survei/{code}/" in page
    response = alice.post(f"/layanan/survei/{code}/",
                          {**scores(4, 3, 4, 4, 2, 3, 4, 4, 1), "comment": " Cepat "})
    assert response.status_code == 302 and response.url == f"/perkara-saya/{code}/"
    saved = SurveyResponse.objects.get()
    assert [getattr(saved, name) for name in ELEMENTS] == [4, 3, 4, 4, 2, 3, 4, 4, 1]
    assert (saved.service, saved.agency, saved.comment) == (application.service, personas.dukcapil, "Cepat")

    again = alice.post(f"/layanan/survei/{code}/", scores(1), follow=True)
    assert "survei untuk permohonan ini sudah Anda isi" in text(again)
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().u1 == 4
    with pytest.raises(SurveyAlreadyFilled):
        actions.survey_submit(application=application, actor=personas.alice, scores=scores(2))
    assert f"/layanan/survei/{code}/" not in text(alice.get(f"/perkara-saya/{code}/"))


@pytest.mark.parametrize("bad", [0, 5, -1, 44])
def test_scores_are_one_to_four_only(personas, finished, bad):
    application, _document = finished()
    with pytest.raises(ApplicationInvalid):
        actions.survey_submit(application=application, actor=personas.alice, scores={**scores(3), "u5": bad})
    response = resident_browser(personas.alice).post(
        f"/layanan/survei/{application.case.tracking_code}/", {**scores(3), "u5": str(bad)}
    )
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_every_element_must_be_scored(personas, finished):
    application, _document = finished()
    partial = dict.fromkeys(ELEMENTS[:-1], 3)
    with pytest.raises(ApplicationInvalid):
        actions.survey_submit(application=application, actor=personas.alice, scores=partial)
    alice = resident_browser(personas.alice)
    response = alice.post(f"/layanan/survei/{application.case.tracking_code}/", partial)
    assert response.status_code == 400
    assert "Beri nilai untuk setiap unsur." in unescape(response.content.decode())
    assert not SurveyResponse.objects.exists()


# --- Figures -------------------------------------------------------------------------------------


RESPONSES = [
    (4, 4, 4, 4, 4, 4, 4, 4, 4),
    (2, 2, 3, 3, 2, 2, 3, 3, 2),
    (3, 3, 3, 4, 4, 3, 3, 4, 3),
]


@pytest.fixture
def year_of_work(personas, submit):
    """July 2026 at Dispendukcapil: three applications submitted Mon 6 Jul and finished
    after 2, 5 and 3 working days (due Thu 9 Jul, so one is late), each with a survey; a
    fourth still open. At DPUPR one application, finished on Thu 9 Jul, with a poor survey."""
    dpupr_service = make_service(personas.dpupr, slug="jalan-uji", name="Rekomendasi jalan uji")
    finish_on = [wib(2026, 7, 8, 14), wib(2026, 7, 13, 14), wib(2026, 7, 9, 14)]
    applications = []
    with time_machine.travel(wib(2026, 7, 6, 9), tick=False) as traveller:
        for _ in finish_on:
            applications.append(walk(submit(), personas.operator, S.VERIFIED, S.IN_PROGRESS))
        submit()  # still open
        road = walk(submit(to=dpupr_service), personas.outsider, S.VERIFIED, S.IN_PROGRESS)
        for application, moment, response in zip(applications, finish_on, RESPONSES, strict=True):
            traveller.move_to(moment)
            actions.application_finish(application=application, actor=personas.operator)
            actions.survey_submit(application=application, actor=personas.alice, scores=scores(*response))
        actions.application_finish(application=road, actor=personas.outsider)
        actions.survey_submit(application=road, actor=personas.alice, scores=scores(1))
    return dpupr_service


def test_figures_of_a_service(service, year_of_work):
    figures = queries.figures(year=2026, service=service)
    assert figures.applications == 4
    assert figures.per_month == [(date(2026, 7, 1), 4)]
    assert figures.finished == 3
    assert figures.median_workdays == 3
    assert figures.within_standard == pytest.approx(2 / 3)
    assert figures.ikm == ikm(RESPONSES)
    assert figures.ikm.respondents == 3


def test_ikm_per_agency_and_city_match_the_permen_formula(personas, service, year_of_work):
    assert queries.figures(year=2026, agency=personas.dukcapil).ikm == ikm(RESPONSES)
    assert queries.figures(year=2026, agency=personas.dpupr).ikm == ikm([(1,) * 9])
    assert queries.figures(year=2026).ikm == ikm([*RESPONSES, (1,) * 9])
    assert queries.figures(year=2026).applications == 5
    assert queries.figures(year=2025).applications == 0 and queries.figures(year=2025).ikm is None


def test_figures_by_agency(personas, service, year_of_work):
    table = dict(queries.figures_by_agency(2026))
    assert set(table) == {personas.dukcapil, personas.dpupr}
    dukcapil, dpupr = table[personas.dukcapil], table[personas.dpupr]
    assert (dukcapil.applications, dukcapil.finished, dukcapil.median_workdays) == (4, 3, 3)
    assert dukcapil.within_standard == pytest.approx(2 / 3) and dukcapil.ikm == ikm(RESPONSES)
    assert (dpupr.applications, dpupr.finished, dpupr.within_standard) == (1, 1, 1.0)
    assert dpupr.ikm.grade == "D"


def test_time_waiting_on_the_resident_is_not_counted(personas, submit):
    # Submitted Mon 6 Jul (due Thu 9); revision asked Tue 7, fixed Mon 13 (4 working days
    # waited, due moves to Wed 15); finished Tue 14. Six working days passed, two of them
    # the agency's: the application counts as 2 working days, and on time.
    with time_machine.travel(wib(2026, 7, 6, 9), tick=False) as traveller:
        application = submit()
        traveller.move_to(wib(2026, 7, 7, 9))
        actions.application_request_revision(application=application, actor=personas.operator, fields=["hp"],
                                             note="Nomor HP salah")
        traveller.move_to(wib(2026, 7, 13, 9))
        actions.application_resubmit(application=application, actor=personas.alice,
                                     answers={"hp": "085711112222"}, uploads={})
        walk(application, personas.operator, S.VERIFIED, S.IN_PROGRESS)
        traveller.move_to(wib(2026, 7, 14, 9))
        actions.application_finish(application=application, actor=personas.operator)
    figures = queries.figures(year=2026, service=application.service)
    assert figures.median_workdays == 2
    assert figures.within_standard == 1.0


def test_figures_by_agency_take_the_same_queries_for_one_or_many_agencies(personas, submit, finished):
    finished()
    with CaptureQueriesContext(connection) as one:
        assert len(queries.figures_by_agency(2026)) == 1
    dinsos = Agency.objects.create(code="dinsos", short_name="Dinsos", name="Dinas Sosial", kind="dinas")
    for slug, agency in (("jalan-uji", personas.dpupr), ("bansos-uji", dinsos)):
        submit(to=make_service(agency, slug=slug))
    with CaptureQueriesContext(connection) as many:
        assert len(queries.figures_by_agency(2026)) == 3
    assert len(many.captured_queries) == len(one.captured_queries)


def converted(responses) -> str:
    """The IKM as the pages print it in Indonesian, e.g. "83,33"."""
    with translation.override("id"):
        return floatformat(ikm(responses).converted, 2)


def visible(response) -> str:
    """What a reader sees: the page's text without its markup, so that the tests follow
    the words and numbers, not the template's tags and classes."""
    assert response.status_code == 200, response.status_code
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def test_public_statistics_page(client, personas, service, year_of_work):
    page = visible(client.get("/layanan/statistik/", {"tahun": 2026}))
    grade = ikm(RESPONSES).grade
    # Agency, applications, finished, median working days, on time, IKM (grade).
    assert f"Dinas Kependudukan dan Pencatatan Sipil 4 3 3 67% {converted(RESPONSES)} ({grade})" in page
    assert f"Dinas Pekerjaan Umum dan Penataan Ruang 1 1 3 100% {converted([(1,) * 9])} (D)" in page
    # City-wide: five applications, four of them finished, the IKM of all four surveys.
    city = ikm([*RESPONSES, (1,) * 9])
    assert "Permohonan 5 Selesai dengan dokumen 4" in page
    assert f"{converted([*RESPONSES, (1,) * 9])} · mutu {city.grade}" in page


def test_public_statistics_of_one_service(client, personas, service, year_of_work):
    page = visible(client.get(f"/layanan/{service.slug}/statistik/", {"tahun": 2026}))
    result = ikm(RESPONSES)
    assert "Permohonan 4 Selesai dengan dokumen 3" in page
    assert "Median waktu penyelesaian 3 hari kerja" in page
    assert "Selesai dalam waktu standar 67%" in page
    assert f"{converted(RESPONSES)} · mutu {result.grade} ({result.performance}) · 3 responden" in page
    assert "Juli 2026 4" in page


def test_statistics_of_a_year_without_applications(client, service):
    page = visible(client.get(f"/layanan/{service.slug}/statistik/", {"tahun": 2025}))
    assert "Permohonan 0" in page and "belum ada survei" in page
    city = visible(client.get("/layanan/statistik/", {"tahun": "2025"}))
    assert "Belum ada permohonan pada tahun ini." in city
    assert client.get("/layanan/statistik/", {"tahun": "bukan-tahun"}).status_code == 200
