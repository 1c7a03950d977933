from django.core.management.base import BaseCommand

from directory.models import Unit
from directory.services import load_default_organization


class Command(BaseCommand):
    help = "Create the default organization's units, head positions and topics (existing ones are left as they are)."

    def handle(self, *args, **options):
        created = load_default_organization()
        self.stdout.write(f"Default organization: {Unit.objects.count()} units ({created} created now).")
