from django.core.management.base import BaseCommand

from kotacerdas.agencies.actions import agencies_load_reference
from kotacerdas.cases.actions import holidays_load_reference
from kotacerdas.masterplan.actions import masterplan_load_reference
from kotacerdas.opendata.actions import topics_load_reference
from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.reports.actions import categories_load_reference
from kotacerdas.services.actions import services_load_reference


class Command(BaseCommand):
    help = "Load Kota Blitar reference data (regions, OPD, holidays); --demo adds demo accounts. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="also load demo accounts and cases")

    def handle(self, *args, demo: bool = False, **options):
        regions = regions_load_reference()
        agencies = agencies_load_reference()
        holidays = holidays_load_reference()
        services = services_load_reference()
        categories = categories_load_reference()
        topics = topics_load_reference()
        frameworks = masterplan_load_reference()
        self.stdout.write(
            f"reference data: {regions} regions, {agencies} agencies, {holidays} holidays, "
            f"{services} sample services, {categories} report categories, {topics} data topics, "
            f"{frameworks} masterplan framework rows added"
        )
        if demo:
            from kotacerdas.portal.demo import demo_load

            logins = demo_load()
            self.stdout.write(self.style.WARNING("demo accounts (not for production):"))
            for login in logins:
                extra = f"  TOTP secret {login.totp_secret}" if login.totp_secret else ""
                self.stdout.write(f"  {login.role:32} {login.login:34} {login.password}{extra}")
        # The site-wide search starts with what was just loaded; the worker keeps it fresh.
        from kotacerdas.search.actions import reindex

        reindex()
