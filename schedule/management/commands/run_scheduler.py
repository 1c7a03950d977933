import time

from django.core.management.base import BaseCommand

from schedule.services import enqueue_due


class Command(BaseCommand):
    help = "Put periodic tasks (settings.MIZ_PERIODIC_TASKS) on the task queue when they are due; a worker runs them."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once and exit (for cron)")
        parser.add_argument("--every", type=int, default=60, help="seconds between checks (default 60)")

    def handle(self, *args, **options):
        while True:
            for path in enqueue_due():
                self.stdout.write(f"enqueued {path}")
            if options["once"]:
                return
            time.sleep(max(1, options["every"]))
