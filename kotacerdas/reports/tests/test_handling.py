"""Handling a report the SP4N-LAPOR! way: verification restarts the clock, the answer
resolves it and starts the auto-close countdown, the reporter confirms or reopens;
closing reasons, merging duplicates, moderation, who may act, and who hears about it."""

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.test import Client
from PIL import Image, ImageChops

from kotacerdas.audit.models import AuditEntry
from kotacerdas.cases.errors import NotYourAgency, TransitionNotAllowed
from kotacerdas.cases.models import CaseEvent, Status
from kotacerdas.notifications.models import Message
from kotacerdas.reports import actions
from kotacerdas.reports.errors import NotReporter, ReportError, ReportInvalid
from kotacerdas.reports.models import CloseReason, Privacy, Subscription, Support
from kotacerdas.reports.tests.conftest import (
    ELSEWHERE,
    NEAR,
    answered,
    checkerboard_png,
    html,
    make_resident,
    photo,
    refresh,
    resident_browser,
    stored_image,
    wib,
)

S = Status


def sent(template: str) -> set[str]:
    """Who got a message from this template (by e-mail address)."""
    return set(Message.objects.filter(template=template).values_list("user__email", flat=True))


# --- Verification and answer ---------------------------------------------------------------------


def test_verifying_restarts_the_clock_at_five_working_days(submit, personas, holidays):
    with time_machine.travel(wib(2026, 3, 30, 10), tick=False) as traveller:  # a Monday
        report = submit()
        assert report.case.due_date == date(2026, 4, 2)  # 3 working days
        traveller.move_to(wib(2026, 4, 1, 10))
        actions.report_verify(report=report, actor=personas.operator)
    case = refresh(report).case
    assert case.status == S.VERIFIED
    assert case.sla_workdays == 5
    # 2, 6, 7, 8, 9 April: Good Friday (3 April) is a national holiday.
    assert case.due_date == date(2026, 4, 9)
    assert AuditEntry.objects.filter(action="case_restart_clock", object_id=str(case.pk)).exists()


def test_officer_verifies_through_the_staff_page(staff_client, submit, personas):
    report = submit()
    browser = staff_client(personas.operator)
    code = report.case.tracking_code
    response = browser.post(f"/pengaduan/staf/{code}/verifikasi/")
    assert response.status_code == 302
    assert response["Location"] == f"/staf/perkara/{code}/"
    assert refresh(report).case.status == S.VERIFIED
    assert "Jawab pelapor" in html(browser.get(response["Location"]))


def test_the_answer_resolves_and_sets_the_auto_close_day(submit, personas, holidays):
    with time_machine.travel(wib(2026, 4, 6, 10), tick=False) as traveller:
        report = submit()
        actions.report_verify(report=report, actor=personas.operator)
        traveller.move_to(wib(2026, 4, 9, 14))  # a Thursday
        actions.report_answer(report=report, actor=personas.operator, text="Jadwal ulang: Kamis depan.")
    report = refresh(report)
    assert report.case.status == S.RESOLVED
    assert report.answered_at == wib(2026, 4, 9, 14)
    # 10 working days after Thursday 9 April: 10, 13-17 and 20-23 April.
    assert report.autoclose_on == date(2026, 4, 23)
    answer = CaseEvent.objects.get(case=report.case, to_status=S.RESOLVED)
    assert answer.is_public and answer.text == "Jadwal ulang: Kamis depan."
    assert answer.data == {"answer": True}


def test_an_answer_needs_text(submit, personas):
    report = submit()
    actions.report_verify(report=report, actor=personas.operator)
    with pytest.raises(ReportInvalid):
        actions.report_answer(report=report, actor=personas.operator, text="   ")
    assert refresh(report).case.status == S.VERIFIED


def test_a_report_is_verified_before_it_is_answered(submit, personas):
    report = submit()
    with pytest.raises(TransitionNotAllowed):
        actions.report_answer(report=report, actor=personas.operator, text="Sudah.")


def test_answered_reports_close_by_themselves_on_the_day_and_not_before(submit, personas, holidays):
    with time_machine.travel(wib(2026, 4, 6, 10), tick=False) as traveller:
        report = submit()
        waiting = submit(description="Belum dijawab.")
        answered(report, personas.operator)  # autoclose_on 20 April
        assert refresh(report).autoclose_on == date(2026, 4, 20)
        traveller.move_to(wib(2026, 4, 17, 23, 30))
        assert actions.reports_autoclose() == 0
        assert refresh(report).case.status == S.RESOLVED
        traveller.move_to(wib(2026, 4, 20, 0, 7))
        assert actions.reports_autoclose() == 1
        assert actions.reports_autoclose() == 0  # once
    report = refresh(report)
    assert report.case.status == S.CLOSED
    assert report.close_reason == CloseReason.FIXED
    assert report.autoclose_on is None
    event = CaseEvent.objects.get(case=report.case, to_status=S.CLOSED)
    assert event.actor is None and event.data == {"close_reason": "fixed", "automatic": True}
    assert event.at == wib(2026, 4, 20, 0, 7)
    assert refresh(waiting).case.status == S.SUBMITTED


def test_a_reopened_report_is_not_closed_automatically(submit, personas):
    with time_machine.travel(wib(2026, 4, 6, 10), tick=False) as traveller:
        report = answered(submit(), personas.operator)
        actions.report_reopen(report=refresh(report), actor=personas.alice, reason="Tetap tidak datang.")
        traveller.move_to(wib(2026, 5, 6, 10))
        assert actions.reports_autoclose() == 0
    assert refresh(report).case.status == S.IN_PROGRESS


# --- The reporter's word ------------------------------------------------------------------------


def test_the_reporter_confirms_the_answer(submit, personas):
    report = answered(submit(), personas.operator)
    actions.report_confirm(report=refresh(report), actor=personas.alice)
    report = refresh(report)
    assert report.case.status == S.CLOSED
    assert report.close_reason == CloseReason.FIXED
    assert report.autoclose_on is None


def test_only_the_reporter_confirms_and_only_an_answered_report(submit, personas):
    report = submit()
    actions.report_verify(report=report, actor=personas.operator)
    with pytest.raises(ReportError):
        actions.report_confirm(report=refresh(report), actor=personas.alice)
    actions.report_answer(report=report, actor=personas.operator, text="Sudah.")
    with pytest.raises(NotReporter):
        actions.report_confirm(report=refresh(report), actor=personas.bob)


def test_the_reporter_reopens_with_a_reason_and_the_clock_restarts(submit, personas, holidays):
    with time_machine.travel(wib(2026, 4, 6, 10), tick=False) as traveller:
        report = answered(submit(), personas.operator)
        traveller.move_to(wib(2026, 4, 10, 8))  # a Friday
        actions.report_reopen(report=refresh(report), actor=personas.alice, reason="Petugas tidak datang.")
    report = refresh(report)
    assert report.case.status == S.IN_PROGRESS
    assert report.autoclose_on is None
    assert report.close_reason == ""
    assert report.case.sla_workdays == 5
    assert report.case.due_date == date(2026, 4, 17)  # 13-17 April
    event = CaseEvent.objects.get(case=report.case, to_status=S.IN_PROGRESS)
    assert event.text == "Petugas tidak datang." and event.actor == personas.alice and event.is_public


def test_a_closed_report_can_be_reopened_by_its_reporter(submit, personas):
    report = answered(submit(), personas.operator)
    actions.report_confirm(report=refresh(report), actor=personas.alice)
    actions.report_reopen(report=refresh(report), actor=personas.alice, reason="Masalahnya muncul lagi.")
    assert refresh(report).case.status == S.IN_PROGRESS


def test_reopening_needs_the_reporter_a_reason_and_an_answer(submit, personas):
    report = submit()
    with pytest.raises(ReportError):
        actions.report_reopen(report=report, actor=personas.alice, reason="Belum juga.")
    answered(report, personas.operator)
    with pytest.raises(NotReporter):
        actions.report_reopen(report=refresh(report), actor=personas.bob, reason="Belum.")
    with pytest.raises(ReportInvalid):
        actions.report_reopen(report=refresh(report), actor=personas.alice, reason="  ")
    assert refresh(report).case.status == S.RESOLVED


def test_the_reporter_reopens_and_confirms_on_the_report_page(submit, personas):
    report = answered(submit(), personas.operator)
    code = report.case.tracking_code
    browser = resident_browser(personas.alice)
    page = html(browser.get(f"/pengaduan/{code}/"))
    assert "Sudah dijawab. Apakah masalahnya selesai?" in page
    response = browser.post(f"/pengaduan/{code}/buka-kembali/", {"reason": "Masih antre panjang."})
    assert response.status_code == 302
    assert refresh(report).case.status == S.IN_PROGRESS
    actions.report_answer(report=refresh(report), actor=personas.operator, text="Loket ditambah.")
    browser.post(f"/pengaduan/{code}/selesai/")
    assert refresh(report).case.status == S.CLOSED


def test_an_unknown_reporter_action_is_404(submit, personas):
    report = answered(submit(), personas.operator)
    response = resident_browser(personas.alice).post(f"/pengaduan/{report.case.tracking_code}/hapus/",
                                                     {"reason": "Coba-coba."})
    assert response.status_code == 404
    assert refresh(report).case.status == S.RESOLVED


def test_another_resident_cannot_reopen_on_the_report_page(submit, personas):
    report = answered(submit(), personas.operator)
    browser = resident_browser(personas.bob)
    browser.post(f"/pengaduan/{report.case.tracking_code}/buka-kembali/", {"reason": "Saya tidak puas."})
    assert refresh(report).case.status == S.RESOLVED


# --- Closing reasons ----------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", [CloseReason.FIXED, CloseReason.NO_ACTION])
def test_officer_closes_with_a_reason(submit, personas, reason):
    report = answered(submit(), personas.operator)
    actions.report_close(report=refresh(report), actor=personas.kepala, reason=reason)
    report = refresh(report)
    assert report.case.status == S.CLOSED
    assert report.close_reason == reason
    assert report.autoclose_on is None
    assert CaseEvent.objects.get(case=report.case, to_status=S.CLOSED).data == {"close_reason": reason}


def test_not_the_citys_responsibility_needs_a_note_saying_whose_it_is(submit, personas):
    report = submit()
    with pytest.raises(ReportInvalid) as invalid:
        actions.report_close(report=report, actor=personas.operator, reason=CloseReason.NOT_RESPONSIBLE)
    assert "note" in invalid.value.errors
    assert refresh(report).case.status == S.SUBMITTED
    actions.report_close(report=report, actor=personas.operator, reason=CloseReason.NOT_RESPONSIBLE,
                         note="Kewenangan Pemerintah Provinsi Jawa Timur.")
    report = refresh(report)
    assert report.case.status == S.CLOSED
    assert report.close_reason == CloseReason.NOT_RESPONSIBLE
    page = html(resident_browser(personas.bob).get(f"/pengaduan/{report.case.tracking_code}/"))
    assert "Ditutup: bukan kewenangan Pemerintah Kota" in page
    assert "Kewenangan Pemerintah Provinsi Jawa Timur." in page


def test_an_unknown_reason_or_a_duplicate_without_its_original_is_refused(submit, personas):
    report = submit()
    with pytest.raises(ReportInvalid):
        actions.report_close(report=report, actor=personas.operator, reason="bosan")
    with pytest.raises(ReportInvalid):
        actions.report_close(report=report, actor=personas.operator, reason=CloseReason.DUPLICATE)
    with pytest.raises(ReportInvalid):
        actions.report_close(report=report, actor=personas.operator, reason=CloseReason.DUPLICATE,
                             duplicate_of=report)
    assert refresh(report).case.status == S.SUBMITTED


def test_officer_closes_through_the_staff_page(staff_client, submit, personas):
    report = submit()
    browser = staff_client(personas.kepala)
    code = report.case.tracking_code
    browser.post(f"/pengaduan/staf/{code}/tutup/", {"reason": "not_responsible"})
    assert refresh(report).case.status == S.SUBMITTED  # no note: refused
    browser.post(f"/pengaduan/staf/{code}/tutup/", {"reason": "not_responsible", "note": "Urusan PLN."})
    assert refresh(report).close_reason == CloseReason.NOT_RESPONSIBLE


def test_officer_rejects_what_is_no_report_with_a_reason(submit, personas):
    report = submit(description="iklan pinjaman online")
    with pytest.raises(ReportInvalid):
        actions.report_reject(report=report, actor=personas.operator, reason="")
    actions.report_reject(report=report, actor=personas.operator, reason="Iklan, bukan pengaduan.")
    assert refresh(report).case.status == S.REJECTED


# --- Merging duplicates -------------------------------------------------------------------------------


@pytest.fixture
def duplicates(submit, personas):
    """Alice's report (kept) and Bob's about the same thing nearby (the duplicate), with
    their supporters and followers:
    - Erik supports both, Carol and Alice support Bob's;
    - Dewi only follows Bob's."""
    carol = make_resident("Carol Susanti", "carol@warga.test")
    dewi = make_resident("Dewi Lestari", "dewi@warga.test")
    erik = make_resident("Erik Saputra", "erik@warga.test")
    kept = submit(personas.alice)
    duplicate = submit(personas.bob, at=NEAR, description="Mobil KTP keliling tidak datang lagi.")
    actions.report_support(report=kept, user=erik)
    for user in (carol, erik, personas.alice):
        actions.report_support(report=duplicate, user=user)
    actions.subscription_add(user=dewi, kind=Subscription.Kind.REPORT, report=duplicate)
    return kept, duplicate, {"carol": carol, "dewi": dewi, "erik": erik}


def test_merging_moves_reporter_supporters_and_followers_to_the_kept_report(duplicates, personas):
    kept, duplicate, people = duplicates
    Message.objects.all().delete()
    actions.report_merge(report=duplicate, into=kept, actor=personas.operator)

    duplicate, kept = refresh(duplicate), refresh(kept)
    assert duplicate.case.status == S.CLOSED
    assert duplicate.close_reason == CloseReason.DUPLICATE
    assert duplicate.duplicate_of == kept
    supporters = {s.user for s in Support.objects.filter(report=kept)}
    # Erik once, Carol and Bob (the duplicate's reporter); not Alice, whose report it is.
    assert supporters == {people["erik"], people["carol"], personas.bob}
    assert kept.supporters == 3
    followers = set(Subscription.objects.filter(report=kept).values_list("user__email", flat=True))
    assert {"erik@warga.test", "carol@warga.test", "dewi@warga.test", "bob@warga.test"} <= followers
    assert Subscription.objects.filter(report=kept, user=people["erik"]).count() == 1
    assert not Subscription.objects.filter(report=duplicate).exists()
    closed = CaseEvent.objects.get(case=duplicate.case, to_status=S.CLOSED)
    assert closed.data == {"close_reason": "duplicate", "duplicate_of": kept.case.tracking_code}
    assert kept.case.tracking_code in closed.text


def test_followers_of_the_duplicate_hear_about_the_merge(duplicates, personas):
    kept, duplicate, _people = duplicates
    Message.objects.all().delete()
    actions.report_merge(report=duplicate, into=kept, actor=personas.operator)
    assert sent("report_merged") == {"carol@warga.test", "dewi@warga.test", "erik@warga.test",
                                      "alice@warga.test"}
    # Bob, whose report it was, hears through his case: closed, same as the kept one.
    assert sent("case_status_changed") == {"bob@warga.test"}
    body = Message.objects.filter(template="report_merged").first().body
    assert kept.case.tracking_code in body


def test_closing_as_duplicate_through_the_staff_page_merges(staff_client, duplicates, personas):
    kept, duplicate, _people = duplicates
    browser = staff_client(personas.operator)
    browser.post(f"/pengaduan/staf/{duplicate.case.tracking_code}/tutup/",
                 {"reason": "duplicate", "duplicate_of": kept.case.tracking_code.replace("-", "").lower()})
    assert refresh(duplicate).duplicate_of == kept
    assert refresh(kept).supporters == 3


def test_a_merged_report_cannot_be_reopened(duplicates, personas):
    kept, duplicate, _people = duplicates
    actions.report_merge(report=duplicate, into=kept, actor=personas.operator)
    with pytest.raises(ReportError) as refused:
        actions.report_reopen(report=refresh(duplicate), actor=personas.bob, reason="Belum selesai.")
    assert "digabung" in str(refused.value.message)
    assert refresh(duplicate).case.status == S.CLOSED


def test_a_report_is_not_merged_into_itself_or_into_a_duplicate(duplicates, submit, personas):
    kept, duplicate, _people = duplicates
    with pytest.raises(ReportInvalid):
        actions.report_merge(report=kept, into=kept, actor=personas.operator)
    actions.report_merge(report=duplicate, into=kept, actor=personas.operator)
    third = submit(personas.bob, description="Sama lagi.")
    with pytest.raises(ReportInvalid):
        actions.report_merge(report=third, into=refresh(duplicate), actor=personas.operator)


# --- Moderation ---------------------------------------------------------------------------------------


PHONE = "0812-3456-7890"


def test_moderation_edits_the_text_and_the_audit_keeps_no_removed_content(submit, personas, client):
    report = submit(description=f"Antrean panjang. Hubungi saya di {PHONE}, Jl. Mawar 7.")
    actions.report_moderate(report=report, actor=personas.operator, description="Antrean panjang.")
    assert refresh(report).description == "Antrean panjang."
    assert PHONE not in html(client.get(f"/pengaduan/{report.case.tracking_code}/"))
    entry = AuditEntry.objects.get(action="report_moderate")
    assert entry.actor == personas.operator
    assert entry.changes == {"description_edited": [None, True]}
    recorded = str(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert PHONE not in recorded and "Mawar" not in recorded


def test_a_hidden_photo_is_no_longer_served_publicly(submit, personas, client, staff_client):
    report = submit(photos=[photo(name="a.jpg"), photo(name="b.jpg")])
    hidden, shown = report.photos.all()
    actions.report_moderate(report=report, actor=personas.operator, hide_photos=[hidden.pk])
    assert client.get(f"/pengaduan/foto/{hidden.pk}/").status_code == 404
    assert client.get(f"/pengaduan/foto/{shown.pk}/").status_code == 200
    page = html(client.get(f"/pengaduan/{report.case.tracking_code}/"))
    assert f"/pengaduan/foto/{shown.pk}/" in page
    assert f"/pengaduan/foto/{hidden.pk}/" not in page
    assert resident_browser(personas.alice).get(f"/pengaduan/foto/{hidden.pk}/").status_code == 404
    for_officer = staff_client(personas.operator).get(f"/pengaduan/foto/{hidden.pk}/")
    assert for_officer.status_code == 200
    assert for_officer["Cache-Control"] == "private, no-store"  # no shared cache keeps it
    entry = AuditEntry.objects.get(action="report_moderate")
    assert entry.changes == {"photos_hidden": [None, str([hidden.pk])]}


def test_blurring_changes_the_pixels_in_the_box_and_only_there(submit, personas):
    report = submit(photos=[photo(checkerboard_png((200, 100)), name="plat.png", content_type="image/png")])
    stored = report.photos.get()
    before = stored_image(stored).convert("RGB")
    old_name = stored.file.name
    # The right half, top half: x 50-100 %, y 0-50 %, i.e. pixels (100, 0)-(200, 50).
    actions.report_moderate(report=report, actor=personas.operator, blur={stored.pk: (0.5, 0.0, 0.5, 0.5)})
    stored.refresh_from_db()
    after = stored_image(stored).convert("RGB")
    assert after.size == before.size
    inside = (100, 0, 200, 50)
    assert ImageChops.difference(before.crop(inside), after.crop(inside)).getbbox() is not None
    for outside in [(0, 0, 100, 100), (100, 50, 200, 100)]:
        assert ImageChops.difference(before.crop(outside), after.crop(outside)).getbbox() is None
    # The sharp original is gone, not merely no longer pointed to.
    assert stored.file.name != old_name
    assert not stored.file.storage.exists(old_name)
    assert AuditEntry.objects.get(action="report_moderate").changes == {
        "photos_blurred": [None, str([stored.pk])]
    }


def test_officer_moderates_through_the_staff_page(staff_client, submit, personas):
    report = submit(description=f"Hubungi {PHONE}.",
                    photos=[photo(checkerboard_png((100, 100)), name="x.png", content_type="image/png"),
                            photo(name="y.jpg")])
    blurred, hidden = report.photos.all()
    before = stored_image(blurred).convert("RGB")
    browser = staff_client(personas.operator)
    browser.post(
        f"/pengaduan/staf/{report.case.tracking_code}/moderasi/",
        {"description": "Petugas tidak datang.", "hide_photo": [hidden.pk], "blur_photo": [blurred.pk],
         f"blur_{blurred.pk}_x": "0", f"blur_{blurred.pk}_y": "0",
         f"blur_{blurred.pk}_w": "50", f"blur_{blurred.pk}_h": "100"},
    )
    report = refresh(report)
    assert report.description == "Petugas tidak datang."
    assert Client().get(f"/pengaduan/foto/{hidden.pk}/").status_code == 404
    blurred.refresh_from_db()
    after = stored_image(blurred).convert("RGB")
    assert ImageChops.difference(before.crop((0, 0, 50, 100)), after.crop((0, 0, 50, 100))).getbbox()
    assert not ImageChops.difference(before.crop((50, 0, 100, 100)), after.crop((50, 0, 100, 100))).getbbox()


def test_a_blurred_jpeg_stays_a_jpeg(submit, personas):
    data = BytesIO()
    Image.open(BytesIO(checkerboard_png((160, 120)))).save(data, format="JPEG", quality=95)
    report = submit(photos=[photo(data.getvalue())])
    stored = report.photos.get()
    actions.report_moderate(report=report, actor=personas.operator, blur={stored.pk: (0, 0, 1, 1)})
    stored.refresh_from_db()
    assert stored.file.name.endswith(".jpg")
    assert stored_image(stored).format == "JPEG"


def test_only_officers_of_the_agency_moderate(submit, personas):
    report = submit()
    with pytest.raises(NotYourAgency):
        actions.report_moderate(report=report, actor=personas.outsider, description="Dihapus.")
    assert refresh(report).description != "Dihapus."


# --- Who may act --------------------------------------------------------------------------------------


STAFF_POSTS = [
    ("verifikasi", {}),
    ("jawab", {"text": "Sudah."}),
    ("tutup", {"reason": "no_action"}),
    ("tolak", {"reason": "Spam."}),
    ("moderasi", {"description": "Dihapus."}),
]


@pytest.mark.parametrize(("path", "data"), STAFF_POSTS)
def test_officer_of_other_agency_gets_404_on_staff_endpoints(staff_client, submit, personas, path, data):
    report = submit()
    if path == "jawab":
        actions.report_verify(report=report, actor=personas.operator)
    browser = staff_client(personas.outsider)
    before = refresh(report)
    response = browser.post(f"/pengaduan/staf/{report.case.tracking_code}/{path}/", data)
    assert response.status_code == 404
    after = refresh(report)
    assert (after.case.status, after.description) == (before.case.status, before.description)


@pytest.mark.parametrize(("path", "data"), STAFF_POSTS[:1])
def test_admin_of_another_agency_gets_404_too(staff_client, submit, personas, path, data):
    report = submit()
    response = staff_client(personas.admin).post(f"/pengaduan/staf/{report.case.tracking_code}/{path}/", data)
    assert response.status_code == 404
    assert refresh(report).case.status == S.SUBMITTED


def test_residents_do_not_reach_staff_endpoints(submit, personas):
    report = submit()
    browser = resident_browser(personas.alice)
    response = browser.post(f"/pengaduan/staf/{report.case.tracking_code}/verifikasi/")
    assert response.status_code == 302
    assert refresh(report).case.status == S.SUBMITTED


def test_officers_of_the_agency_act_on_a_confidential_report(staff_client, submit, personas):
    report = submit(privacy=Privacy.CONFIDENTIAL)
    browser = staff_client(personas.operator)
    browser.post(f"/pengaduan/staf/{report.case.tracking_code}/verifikasi/")
    browser.post(f"/pengaduan/staf/{report.case.tracking_code}/jawab/", {"text": "Sudah ditindak."})
    assert refresh(report).case.status == S.RESOLVED


# --- Who hears about it -------------------------------------------------------------------------------


@pytest.fixture
def followed(submit, personas):
    """Alice's report, which Bob supports (and so follows) and Carol follows."""
    carol = make_resident("Carol Susanti", "carol@warga.test")
    report = submit()
    actions.report_support(report=report, user=personas.bob)
    actions.subscription_add(user=carol, kind=Subscription.Kind.REPORT, report=report)
    Message.objects.all().delete()
    return report


def test_followers_hear_the_answer_and_the_reporter_hears_through_her_case(followed, personas):
    answered(followed, personas.operator, text="Loket tambahan dibuka Senin.")
    assert sent("report_answered") == {"bob@warga.test", "carol@warga.test"}
    assert "alice@warga.test" in sent("case_status_changed")
    body = Message.objects.filter(template="report_answered").first().body
    assert "Loket tambahan dibuka Senin." in body
    assert f"/pengaduan/{followed.case.tracking_code}/" in body


def test_followers_hear_when_it_is_closed(followed, personas):
    actions.report_close(report=followed, actor=personas.operator, reason=CloseReason.NOT_RESPONSIBLE,
                         note="Kewenangan Kantor Imigrasi.")
    assert sent("report_closed") == {"bob@warga.test", "carol@warga.test"}
    body = Message.objects.filter(template="report_closed").first().body
    assert "bukan kewenangan Pemerintah Kota" in body and "Kewenangan Kantor Imigrasi." in body


def test_someone_who_stopped_following_hears_nothing(followed, personas):
    browser = resident_browser(personas.bob)
    browser.post(f"/pengaduan/{followed.case.tracking_code}/ikuti/")  # toggles off
    answered(followed, personas.operator)
    assert sent("report_answered") == {"carol@warga.test"}


@pytest.fixture
def watchers(personas, kauman, kepanjenlor):
    """Bob watches Kauman, Carol watches Kepanjenlor, Alice watches Kauman too."""
    carol = make_resident("Carol Susanti", "carol@warga.test")
    actions.subscription_add(user=personas.bob, kind=Subscription.Kind.KELURAHAN, kelurahan=kauman)
    actions.subscription_add(user=carol, kind=Subscription.Kind.KELURAHAN, kelurahan=kepanjenlor)
    actions.subscription_add(user=personas.alice, kind=Subscription.Kind.KELURAHAN, kelurahan=kauman)
    return carol


def test_kelurahan_subscribers_hear_of_a_new_public_report_there(watchers, submit, personas):
    report = submit(personas.alice)
    # Not Alice: she wrote it.
    assert sent("report_nearby") == {"bob@warga.test"}
    body = Message.objects.get(template="report_nearby").body
    assert "Kauman" in body and f"/pengaduan/{report.case.tracking_code}/" in body
    submit(personas.bob, at=ELSEWHERE)
    assert sent("report_nearby") == {"bob@warga.test", "carol@warga.test"}


def test_an_anonymous_report_is_announced_too(watchers, submit, personas):
    submit(personas.alice, privacy=Privacy.ANONYMOUS)
    assert sent("report_nearby") == {"bob@warga.test"}
    assert "Alice" not in Message.objects.get(template="report_nearby").body


def test_a_confidential_report_is_announced_to_nobody(watchers, submit, personas):
    submit(personas.alice, privacy=Privacy.CONFIDENTIAL)
    assert not Message.objects.filter(template="report_nearby").exists()


def test_subscribing_to_a_kelurahan_on_the_page(personas, kauman, submit):
    browser = resident_browser(personas.bob)
    assert browser.post("/pengaduan/langganan/", {"kelurahan": kauman.code}).status_code == 302
    assert "Kauman" in html(browser.get("/pengaduan/langganan/"))
    submit(personas.alice)
    assert sent("report_nearby") == {"bob@warga.test"}
    subscription = Subscription.objects.get(user=personas.bob)
    browser.post("/pengaduan/langganan/", {"remove": subscription.pk})
    assert not Subscription.objects.filter(user=personas.bob).exists()


def test_nobody_removes_someone_elses_subscription(personas, kauman):
    subscription = actions.subscription_add(user=personas.bob, kind=Subscription.Kind.KELURAHAN,
                                            kelurahan=kauman)
    resident_browser(personas.alice).post("/pengaduan/langganan/", {"remove": subscription.pk})
    assert Subscription.objects.filter(pk=subscription.pk).exists()

