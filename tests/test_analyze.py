"""`kelisim analyze` end to end: JSON Lines out, every object valid against the published JSON
Schema, offsets indexing the text, bad input named and skipped, and the same readings stored on
ingest."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from kelisim.analyze import AnalyzeOptions, analyze, item_id
from kelisim.cli import EXIT_REJECTED, app
from kelisim.records import RawItem
from tests.shared_data import SEEDS, seed_paths, seed_texts

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "docs" / "analyze.schema.json")
                    .read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def run(*args, stdin: str | None = None, db: Path | None = None):
    prefix = ["--db", str(db)] if db else []
    return CliRunner().invoke(app, [*prefix, "--workers", "1", *args], input=stdin)


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def check_offsets(obj: dict) -> None:
    """Every span of a reading indexes its text."""
    text = obj["text"]
    spans = [*obj["entities"], *obj["places"], *obj["quotes"], *obj["attribution"],
             *(m for g in obj["ethnic_groups"] for m in g["mentions"])]
    for span in spans:
        assert text[span["start"]:span["end"]] == span["text"], span
    for evidence in obj["tension"]["evidence"]:
        assert text[evidence["start"]:evidence["end"]] == evidence["text"], evidence
    for quote in obj["quotes"]:
        if quote["speaker_start"] is not None:
            assert 0 <= quote["speaker_start"] < quote["speaker_end"] <= len(text)


def test_seeds_give_valid_readings(tmp_path):
    result = run("analyze", *[str(p) for p in seed_paths()])
    assert result.exit_code == 0, result.output
    objects = lines(result.stdout)
    assert len(objects) == 5
    for obj in objects:
        VALIDATOR.validate(obj)
        check_offsets(obj)
    first = objects[0]
    assert first["id"].endswith("000_d8764c786956fa39.txt")
    assert {"Маулен Ашимбаев", "Касым-Жомарт Токаев"} <= {e["normal"] for e in first["entities"]}
    assert "Кордайский район" in {p["name"] for p in first["places"]}


def test_verbatim_keeps_the_input_text_exactly():
    text = "  Токаев прибыл в Тараз.\r\n\r\n\tГлава государства встретился с жителями Кордайского района.  "
    record = json.dumps({"id": "v1", "text": text}, ensure_ascii=False)
    result = run("analyze", "--verbatim", "-", stdin=record + "\n")
    assert result.exit_code == 0, result.output
    (obj,) = lines(result.stdout)
    assert obj["id"] == "v1" and obj["text"] == text
    VALIDATOR.validate(obj)
    check_offsets(obj)
    assert any(p["kato"] == "314800000" for p in obj["places"])


def test_stdin_jsonl_with_text_html_and_a_bad_line():
    html = ("<html><head><title>Заседание</title></head><body><article><p>"
            + seed_texts()[1].splitlines()[0] + "</p></article></body></html>")
    stdin = "\n".join([
        json.dumps({"id": "a", "text": seed_texts()[0], "published": "2021-02-10"}, ensure_ascii=False),
        '{"id": "broken", "text": ',
        json.dumps({"id": "b", "html": html}, ensure_ascii=False),
        json.dumps({"id": "c", "text": ""}),
    ]) + "\n"
    result = run("analyze", "-", stdin=stdin)
    assert result.exit_code == EXIT_REJECTED
    objects = lines(result.stdout)
    assert [o["id"] for o in objects] == ["a", "b"]
    assert objects[0]["published"] == "2021-02-10"
    assert "line 2 is not valid JSON" in result.stderr and "has no text" in result.stderr
    for obj in objects:
        VALIDATOR.validate(obj)
        check_offsets(obj)
    assert objects[1]["attribution"][0]["outlet"] == "Liter.kz"


def test_bad_files_are_named_and_the_rest_is_read(tmp_path):
    (tmp_path / "good.txt").write_text(seed_texts()[4], encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + zlib.compress(b"x" * 5000))
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "out.jsonl"
    result = run("analyze", str(tmp_path), "--out", str(out))
    assert result.exit_code == EXIT_REJECTED
    said = result.stderr.replace("\n", "")  # the console folds a long path at any character
    assert "binary.txt" in said and "empty.txt" in said
    objects = lines(out.read_text(encoding="utf-8"))
    assert len(objects) == 1 and objects[0]["id"].endswith("good.txt")
    assert not out.with_name("out.jsonl.part").exists()


def test_no_input_is_a_usage_error():
    result = run("analyze")
    assert result.exit_code == 1
    assert "give files or folders" in result.stderr


def test_two_processes_give_the_same_readings_in_the_same_order():
    items = [RawItem(origin=f"t:{i}", body=text) for i, text in enumerate(seed_texts() * 3)]
    one = list(analyze(items, AnalyzeOptions(workers=1, batch_size=4)))
    two = list(analyze(items, AnalyzeOptions(workers=2, batch_size=4)))
    assert one == two and len(one) == 15


def test_item_ids():
    assert item_id("file:/data/x.jsonl#42") == "42"
    assert item_id("file:/data/a.txt") == "/data/a.txt"
    assert item_id("url:https://example.kz/a") == "url:https://example.kz/a"


def test_ingest_stores_the_same_reading_that_analyze_prints(tmp_path):
    db = tmp_path / "k.db"
    result = run("ingest", str(SEEDS), db=db)
    assert result.exit_code == 0, result.output
    assert "Read 5 document(s)" in result.output
    shown = run("show", "1", "--json", db=db)
    stored = json.loads(shown.stdout)["reading"]
    VALIDATOR.validate(stored)
    check_offsets(stored)
    printed = lines(run("analyze", str(seed_paths()[0])).stdout)[0]
    for key in ("entities", "places", "ethnic_groups", "quotes", "attribution", "tension"):
        assert stored[key] == printed[key], key
    again = run("read", db=db)
    assert again.exit_code == 0 and "Read" not in again.output  # nothing left to read
    markup = run("show", "1", db=db)
    assert "[PER Маулена Ашимбаева" in markup.stdout.replace("\n", " ")
