from kotacerdas.cases import actions
from kotacerdas.cases.models import Kind


def test_home_page_answers_in_indonesian(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Urus keperluan" in response.content.decode()


def test_staff_login_requires_totp_then_reaches_inbox(personas, staff_client):
    client = staff_client(personas.operator)
    assert client.get("/staf/").status_code == 200


def test_case_open_sends_email(personas, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.case_open(kind=Kind.INFORMATION, agency=personas.dukcapil, title="KTP-el",
                                 sla_workdays=5, citizen=personas.alice)
    assert len(mailoutbox) == 1
    assert case.tracking_code in mailoutbox[0].subject
