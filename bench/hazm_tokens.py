"""Tokenize the routing corpus and the public benchmarks with hazm, for bench/hazm_compare.py.

hazm 0.10.0 pins numpy==1.24.3 and pulls in gensim, fasttext and nltk, which cannot live in the project
venv (numpy 2.x). So this script runs in a side venv and only writes JSON; the comparison itself runs in
the project venv. It imports neither Django nor the project.

    python3.11 -m venv /tmp/hazm-venv && /tmp/hazm-venv/bin/pip install hazm==0.10.0
    /tmp/hazm-venv/bin/python bench/hazm_tokens.py [OUTPUT]   # default: var/bench/hazm_tokens.json
    .venv/bin/python bench/hazm_compare.py [OUTPUT]

Output: {source: [{"tokens": [...], "lemmas": [...]}, ...]}, one entry per non-empty line, in file order,
where source is "default.jsonl" (the shipped corpus) or "<data set>/<split>.jsonl" (public benchmarks).
"""

import json
import os
import sys
import time
from pathlib import Path

from hazm import Lemmatizer, Normalizer, word_tokenize

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MIZ_SHARED_DIR", ROOT.parent / "shared"))
PUBLIC = SHARED / "benchmarks" / "persian-text"
DATA_SETS = ("atis", "armanemo", "parsinlu_food")


def sources() -> dict[str, Path]:
    found = {"default.jsonl": ROOT / "routing" / "corpus" / "default.jsonl"}
    for name in DATA_SETS:
        for split in ("train", "test"):
            found[f"{name}/{split}.jsonl"] = PUBLIC / name / f"{split}.jsonl"
    return found


def read_texts(path: Path) -> list[str]:
    # Same rule as routing.training.read_jsonl: blank lines are skipped, every other line is one example.
    lines = path.read_text(encoding="utf-8").splitlines()
    return [str(json.loads(line)["text"]) for line in lines if line.strip()]


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var" / "bench" / "hazm_tokens.json"
    normalizer, lemmatizer = Normalizer(), Lemmatizer()
    result, count = {}, 0
    start = time.perf_counter()
    for source, path in sources().items():
        rows = []
        for text in read_texts(path):
            tokens = word_tokenize(normalizer.normalize(text))
            rows.append({"tokens": tokens, "lemmas": [lemmatizer.lemmatize(token) for token in tokens]})
        result[source] = rows
        count += len(rows)
    seconds = time.perf_counter() - start
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    print(f"hazm: {count} texts from {len(result)} files in {seconds:.1f} s ({seconds / count * 1000:.2f} ms a text)")
    print(f"written to {output}")


if __name__ == "__main__":
    main()
