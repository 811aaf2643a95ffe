"""OPD admins edit their own services' forms as data, and only theirs."""

import json

import pytest
from django.contrib.auth.models import Permission

from kotacerdas.accounts.models import Membership
from kotacerdas.conftest import make_staff
from kotacerdas.services.admin import FormFieldAdminForm
from kotacerdas.services.models import FormField, Service


def service_of(agency, slug: str) -> Service:
    return Service.objects.create(
        slug=slug, name=slug.replace("-", " ").title(), agency=agency, summary="-", category="umum",
        sla_workdays=5, product="Surat", complaint_channel="SP4N-LAPOR!",
    )


@pytest.fixture
def opd_admin(personas):
    user = make_staff("Adi Admin OPD", "admin.dukcapil@pemkot.test", personas.dukcapil,
                      Membership.Role.ADMIN, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(
        content_type__app_label="services", codename__in=["view_service", "change_service", "add_formfield",
                                                          "change_formfield", "view_formfield"]))
    return user


def test_opd_admin_sees_only_own_agency_services(personas, opd_admin, staff_client):
    own = service_of(personas.dukcapil, "akta-contoh")
    other = service_of(personas.dpupr, "izin-jalan")
    client = staff_client(opd_admin)

    listing = client.get("/admin/services/service/").content.decode()

    assert own.name in listing
    assert other.name not in listing
    assert client.get(f"/admin/services/service/{other.pk}/change/").status_code in (302, 404)
    assert client.get(f"/admin/services/service/{own.pk}/change/").status_code == 200


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"type": "choice", "choices": []}, "choices"),
        ({"type": "file", "accept": ["exe"]}, "accept"),
        ({"type": "text", "rules": {"regex": "x"}}, "rules"),
        ({"type": "text", "rules": {"pattern": "(unclosed"}}, "rules"),
        ({"type": "file", "max_mb": 500}, "max_mb"),
    ],
)
def test_form_field_definition_that_would_break_the_form_is_refused(personas, values, field):
    service = service_of(personas.dukcapil, "akta-contoh")
    data = {"order": 0, "name": "isian", "label": "Isian", "type": "text", "required": True, "help": "",
            "choices": "[]", "accept": "[]", "max_mb": 2, "rules": "{}"}
    for key, value in values.items():
        data[key] = json.dumps(value) if isinstance(value, list | dict) else value
    form = FormFieldAdminForm(data, instance=FormField(service=service))

    assert not form.is_valid()
    assert field in form.errors


def test_sound_form_field_definition_is_accepted(personas):
    service = service_of(personas.dukcapil, "akta-contoh")
    form = FormFieldAdminForm(
        {"order": 1, "name": "alasan", "label": "Alasan", "type": "choice", "required": True, "help": "",
         "choices": '["Hilang", "Rusak"]', "accept": "[]", "max_mb": 2, "rules": '{"max_length": 50}'},
        instance=FormField(service=service),
    )

    assert form.is_valid(), form.errors
