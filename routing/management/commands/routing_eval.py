from django.core.management.base import BaseCommand, CommandError

from routing.evaluation import Report
from routing.training import read_jsonl


class Command(BaseCommand):
    help = (
        "Evaluate routing on a JSONL file of {text, unit}. With only --test: the current pipeline (rules, model, "
        "threshold; triage counts as wrong). With --train too: a fresh classifier trained on that file alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--test", required=True, help="JSONL file to score on")
        parser.add_argument("--train", help="JSONL file to train a fresh classifier on (no corpus, no rules)")

    def handle(self, *args, test, train=None, **options):
        try:
            test_examples = read_jsonl(test)
            train_examples = read_jsonl(train) if train else None
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        if not test_examples:
            raise CommandError(f"{test} holds no examples.")
        texts = [text for text, _ in test_examples]
        gold = [label for _, label in test_examples]
        if train_examples is not None:
            predicted = self._fresh(train_examples, texts)
        else:
            predicted = self._current(texts)
        for line in Report(gold, predicted).lines():
            self.stdout.write(line)

    def _fresh(self, examples, texts):
        from routing.classifier import TrainedClassifier, select_c

        if len({label for _, label in examples}) < 2:
            raise CommandError("The training file needs at least two different labels.")
        train_texts, train_labels = [t for t, _ in examples], [label for _, label in examples]
        # Regularization chosen by cross-validation on the training file, never on the test file.
        c = select_c(train_texts, train_labels) if len(train_texts) >= 30 else 1.0
        self.stderr.write(f"C={c} (3-fold cross-validation on {len(train_texts)} training examples)")
        classifier = TrainedClassifier.fit(train_texts, train_labels, c=c)
        return classifier.predict_many(texts)

    def _current(self, texts):
        from cases.models import Case
        from routing.engine import route

        return [route(Case(subject="", body=text)).unit.code for text in texts]
