import json
import re

import pytest
from django.core.management import CommandError, call_command

from routing.models import ModelVersion
from routing.training import corpus_examples

LAST_LINE = re.compile(r"^accuracy=\d\.\d{3} macro_f1=\d\.\d{3} n=\d+$")


def write(path, examples):
    path.write_text("\n".join(json.dumps({"text": t, "unit": u}, ensure_ascii=False) for t, u in examples) + "\n")
    return str(path)


def test_eval_of_the_current_pipeline_ends_with_the_figures_line(db, tmp_path, capsys):
    test_file = write(tmp_path / "test.jsonl", corpus_examples()[::10])
    call_command("routing_eval", "--test", test_file)
    out = capsys.readouterr().out.strip().splitlines()
    assert LAST_LINE.match(out[-1]), out[-1]
    assert any(line.startswith("sent to triage:") for line in out)
    assert any("precision" in line for line in out)
    accuracy = float(out[-1].split()[0].split("=")[1])
    assert accuracy > 0.8  # these messages were in the training data


def test_eval_with_a_train_file_uses_that_file_alone(db, tmp_path, capsys):
    train_file = write(tmp_path / "train.jsonl", [("سلام خوبی", "greet")] * 3 + [("خداحافظ", "bye")] * 3)
    test_file = write(tmp_path / "test.jsonl", [("سلام", "greet"), ("خداحافظ عزیز", "bye")])
    call_command("routing_eval", "--test", test_file, "--train", train_file)
    assert capsys.readouterr().out.strip().splitlines()[-1] == "accuracy=1.000 macro_f1=1.000 n=2"


def test_eval_of_a_broken_file_says_which_line(db, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a", "unit": "x"}\nnot json\n')
    with pytest.raises(CommandError, match="line 2"):
        call_command("routing_eval", "--test", str(bad))
    with pytest.raises(CommandError):
        call_command("routing_eval", "--test", str(tmp_path / "missing.jsonl"))


def test_train_stores_and_activates_a_new_version(db, capsys):
    before = ModelVersion.objects.count()
    call_command("routing_train", "--no-cv")
    assert ModelVersion.objects.count() == before + 1
    assert ModelVersion.objects.latest("pk").is_active
    assert "examples" in capsys.readouterr().out


def test_train_refuses_a_regularization_that_is_not_positive(db):
    with pytest.raises(CommandError, match="positive"):
        call_command("routing_train", "-C", "0")
