from django.core.management.base import BaseCommand

from desk.demo import load_demo


class Command(BaseCommand):
    help = "Create the demo staff accounts and, on an empty database, a dozen demo cases."

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(f"Demo: {result.cases_created} case(s) created.")
        self.stdout.write("Demo logins (staff desk: /desk/login/, administration: /admin/):")
        self.stdout.write("  " + ", ".join(result.usernames))
        source = "generated, kept in var/demo_password" if result.password_generated else "from DEMO_PASSWORD"
        self.stdout.write(f"  password for all of them ({source}): {result.password}")
