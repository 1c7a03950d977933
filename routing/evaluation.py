"""Scoring routing on a labelled file: the figures `routing_eval` prints."""

from collections import Counter
from dataclasses import dataclass, field

from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

TRIAGE = "triage"


@dataclass
class Report:
    gold: list[str]
    predicted: list[str]
    labels: list[str] = field(init=False)

    def __post_init__(self):
        self.labels = sorted(set(self.gold))

    @property
    def accuracy(self) -> float:
        return float(accuracy_score(self.gold, self.predicted))

    @property
    def macro_f1(self) -> float:
        """Averaged over the labels of the file, so a prediction of triage counts only as a miss."""
        return float(f1_score(self.gold, self.predicted, labels=self.labels, average="macro", zero_division=0))

    @property
    def triage_share(self) -> float:
        return sum(1 for label in self.predicted if label == TRIAGE) / max(1, len(self.predicted))

    def lines(self, confusions: int = 10) -> list[str]:
        precision, recall, f1, support = precision_recall_fscore_support(
            self.gold, self.predicted, labels=self.labels, zero_division=0
        )
        width = max(12, *(len(label) for label in self.labels))
        out = [f"{'label':<{width}} {'precision':>9} {'recall':>9} {'f1':>9} {'n':>6}"]
        for label, p, r, f, n in zip(self.labels, precision, recall, f1, support, strict=True):
            out.append(f"{label:<{width}} {p:>9.3f} {r:>9.3f} {f:>9.3f} {n:>6}")
        out.append("")
        mistakes = Counter((g, p) for g, p in zip(self.gold, self.predicted, strict=True) if g != p)
        out.append("most frequent confusions (true -> predicted: count):")
        for (gold, predicted), count in mistakes.most_common(confusions):
            out.append(f"  {gold} -> {predicted}: {count}")
        if not mistakes:
            out.append("  none")
        out.append(f"sent to triage: {self.triage_share:.1%}")
        out.append(f"accuracy={self.accuracy:.3f} macro_f1={self.macro_f1:.3f} n={len(self.gold)}")
        return out
