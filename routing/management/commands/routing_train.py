from django.core.management.base import BaseCommand, CommandError

from routing.classifier import FEATURE_SETS
from routing.training import DEFAULT_C, train


class Command(BaseCommand):
    help = "Train a new routing model from the shipped corpus and confirmed cases, keep it, and make it active."

    def add_arguments(self, parser):
        parser.add_argument("--features", choices=sorted(FEATURE_SETS), default="char+word")
        parser.add_argument("-C", dest="c", type=float, default=DEFAULT_C)
        parser.add_argument("--corpus-only", action="store_true", help="leave out the confirmed history")
        parser.add_argument("--no-cv", action="store_true", help="skip the 5-fold cross-validation figures")
        parser.add_argument("--keep-current", action="store_true", help="store the new version without activating")

    def handle(self, *args, **options):
        if not options["c"] > 0:
            raise CommandError("-C must be a positive number, such as 0.3.")
        version = train(
            include_history=not options["corpus_only"],
            features=options["features"],
            c=options["c"],
            with_cv=not options["no_cv"],
            activate=not options["keep_current"],
        )
        figures = (
            f"cv accuracy={version.cv_accuracy:.3f} macro_f1={version.cv_macro_f1:.3f}"
            if version.cv_accuracy is not None
            else "no cross-validation"
        )
        state = "active" if version.is_active else "stored, not active"
        self.stdout.write(
            f"{version.label}: {version.training_size} examples ({version.corpus_size} corpus, "
            f"{version.history_size} history), {figures}, {state}"
        )
