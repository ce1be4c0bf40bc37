"""`kelisim train`: retraining the attitude model from the training data plus analysts'
corrections, the figures before and after, and the trained model taking over from the shipped one.

The training data here are the first 300 texts of RuEthnoHate dev, so that the test runs in
seconds; the full retraining is what `make train` and the attitude gate measure.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kelisim import train
from kelisim.cli import app
from kelisim.reading.reader import reader_version
from kelisim.store import Store
from kelisim.understanding import attitude as attitude_module
from kelisim.understanding.attitude import AttitudeModel
from tests.shared_data import shared_path
from tests.test_store_readings import reading_of_paragraph

TEXTS = 300


@pytest.fixture(scope="module")
def small_data(tmp_path_factory):
    """A training folder holding the pairs of the first TEXTS texts of RuEthnoHate dev."""
    folder = tmp_path_factory.mktemp("training") / "data"
    (folder / "ruethnohate").mkdir(parents=True)
    kept, texts = [], set()
    for line in shared_path("data", "ruethnohate", "dev.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["text_id"] not in texts and len(texts) == TEXTS:
            continue
        texts.add(record["text_id"])
        kept.append(line)
    (folder / "ruethnohate" / "dev.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return folder


@pytest.fixture()
def corrected_store(tmp_path, make_doc):
    """A store with one read document whose attitude toward the Kazakhs an analyst set to +1."""
    text = reading_of_paragraph()["text"]
    store = Store.open(f"sqlite:///{tmp_path / 'k.db'}")
    with store.writer() as w:
        doc_id = w.add_document(make_doc(text, origin="test:paragraph"))
    store.save_readings([(doc_id, reading_of_paragraph())], "3")
    store.add_correction(doc_id, "attitude", 1, "aigerim", target="казах")
    store.add_correction(doc_id, "relevant", False, "aigerim")
    store.add_correction(doc_id, "hostile", False, "daniyar")  # «америкосы» only in jest
    yield store, doc_id
    store.close()


def test_retraining_learns_the_correction_and_reports_before_and_after(tmp_path, small_data,
                                                                       corrected_store):
    store, doc_id = corrected_store
    out = tmp_path / "models" / "attitude.npz"
    report = train.retrain(store, small_data, out, folds=2)
    assert report.corrections == 1 and report.data_pairs > TEXTS
    for figures in (report.data_before, report.data_after):
        assert figures["n"] == report.data_pairs and 0.3 < figures["macro_f1"] < 1
    assert report.corrections_before["n"] == 1
    assert report.corrections_after is None  # one corrected document: nothing to hold out
    assert report.agreement == {"relevant": (0, 1), "event_type": (0, 0), "hostile": (0, 1),
                                "tension_label": (0, 0)}
    (pair,), _ = train.correction_pairs(store)
    before = AttitudeModel.load().predict(pair.text, pair.group, list(pair.mentions))[2][1]
    trained = AttitudeModel.from_file(out)
    after = trained.predict(pair.text, pair.group, list(pair.mentions))[2][1]
    assert after > before  # the analyst's +1 pulled the model toward it
    assert trained.meta["cv"]["corrections"] == 1 and trained.tag != "shipped"
    assert trained.meta["cv"]["macro_f1"] == report.data_after["macro_f1"]


def test_a_correction_of_a_group_no_longer_named_is_reported_not_used(small_data, corrected_store):
    store, doc_id = corrected_store
    reading = reading_of_paragraph()
    reading["ethnic_groups"] = [g for g in reading["ethnic_groups"] if g["group"] != "казах"]
    store.save_readings([(doc_id, reading)], "4")
    pairs, skipped = train.correction_pairs(store)
    assert pairs == [] and skipped == [f"document {doc_id}: names no 'казах' any more"]


def test_a_trained_model_in_the_models_folder_takes_over(tmp_path, small_data, corrected_store):
    store, _ = corrected_store
    attitude_module.use_models_dir(tmp_path / "models")
    try:
        train.retrain(store, small_data, folds=2)
        assert (tmp_path / "models" / "attitude.npz").is_file()
        tag = AttitudeModel.load().tag
        assert tag not in ("shipped", None)
        assert reader_version() == f"3+{tag}"  # stored documents are read again with it
    finally:
        attitude_module.use_models_dir(None)
    assert AttitudeModel.load().tag == "shipped" and reader_version() == "3"


def test_the_command_line_trains_and_refuses_missing_data(tmp_path, small_data, corrected_store):
    store, _ = corrected_store
    runner = CliRunner()
    out = tmp_path / "cli-model.npz"
    done = runner.invoke(app, ["--db", store.url, "train", "--data", str(small_data), "--out",
                               str(out), "--folds", "2"])
    assert done.exit_code == 0, done.output
    said = " ".join(done.output.split())
    assert "1 corrected attitudes" in said and out.is_file()
    assert "Rules (not trained) against analysts' corrections" in said
    missing = runner.invoke(app, ["--db", store.url, "train", "--data", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "no training data at" in missing.output
    unset = runner.invoke(app, ["--db", store.url, "train"], env={"KELISIM_TRAINING_DATA": ""})
    assert unset.exit_code == 1 and "give the training data" in unset.output
