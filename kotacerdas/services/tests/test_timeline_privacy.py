"""Who approved a document is staff knowledge; the public timeline says only that it was."""

from kotacerdas.cases.models import Status
from kotacerdas.services import actions
from kotacerdas.services.tests.conftest import make_service, walk


def test_approving_head_is_named_to_staff_but_not_on_public_tracking(
    personas, regions, submit, client, staff_client
):
    service = make_service(personas.dukcapil, slug="akta-perlu-kepala", needs_approval=True)
    application = walk(submit(to=service), personas.operator, Status.VERIFIED,
                       Status.IN_PROGRESS)
    actions.application_finish(application=application, actor=personas.kepala)
    code = application.case.tracking_code

    public = client.get(f"/lacak/?code={code}").content.decode()
    staff = staff_client(personas.operator).get(f"/staf/perkara/{code}/").content.decode()

    assert "Disetujui kepala perangkat daerah." in public
    assert personas.kepala.name not in public
    assert f"Disetujui oleh {personas.kepala.name}" in staff
