"""Loads the demo data: the council as the 2021 source document describes it, plus demo accounts.

Idempotent: every record is keyed on its natural key, so a second run changes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import accounts as accounts_demo
from demo import consultations as consultations_demo
from demo import councils as councils_demo
from demo import opinions as opinions_demo
from demo import plans as plans_demo
from demo import proposals as proposals_demo
from demo import verification as verification_demo


class Command(BaseCommand):
    help = "Load the Gwangju OGP council demo data (source document of 2021-05-04)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even when DEBUG is off (never on a live site: it creates demo accounts).",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Refusing to load demo accounts with DEBUG off.")
        with transaction.atomic():
            accounts = accounts_demo.load()
            council = councils_demo.load(accounts=accounts)
            proposals_demo.load(accounts=accounts)
            plans_demo.load()
            verification_demo.load()
            consultations_demo.load(accounts=accounts)
            opinions_demo.load()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {council.name}"))
        self.stdout.write("Demo accounts (e-mail / password):")
        for role, (email, password) in accounts_demo.CREDENTIALS.items():
            self.stdout.write(f"  {role:<24} {email:<36} {password}")
