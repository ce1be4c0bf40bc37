"""The command line, end to end on real texts: ingest, idempotence, search, show, export, stats."""

from __future__ import annotations

import csv
import io
import json
import zlib

import pytest
from typer.testing import CliRunner

from kelisim.cli import EXIT_REJECTED, app
from tests.shared_data import SEEDS, seed_texts

runner = CliRunner()


def kelisim(db, *args):
    result = runner.invoke(app, ["--db", str(db), "--workers", "1", *args])
    return result


@pytest.fixture
def mixed_folder(tmp_path):
    """Five good articles in four forms, and one bad file of each kind."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    seeds = seed_texts()
    (folder / "000.txt").write_text(seeds[0], encoding="utf-8")
    (folder / "001_cp1251.txt").write_bytes(seeds[1].encode("cp1251"))
    (folder / "002_koi8.txt").write_bytes(seeds[2].encode("koi8-r", errors="replace"))
    paragraphs = "".join(f"<p>{p}</p>" for p in seeds[3].splitlines() if p.strip())
    (folder / "003.html").write_text(f"<html><head><title>Конференция</title></head><body>"
                                     f"<nav><a href='/'>Главная</a></nav><article>{paragraphs}"
                                     f"</article></body></html>", encoding="utf-8")
    (folder / "004.jsonl").write_text(json.dumps({"id": "d4", "text": seeds[4]}, ensure_ascii=False)
                                      + "\n", encoding="utf-8")
    (folder / "bad_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + zlib.compress(b"x" * 5000))
    (folder / "bad_empty.txt").write_bytes(b"")
    (folder / "bad_huge.txt").write_bytes(("Большой файл. " * 500_000).encode("utf-8"))
    (folder / "bad_json.json").write_text('{"text": "Ассамблея",', encoding="utf-8")
    (folder / "bad_csv.csv").write_text('text\n"Ассамблея народа\n', encoding="utf-8")
    (folder / "bad_html.html").write_text("<html><body><div><script>x()</script></div>",
                                          encoding="utf-8")
    return folder


BAD = ("bad_binary.txt", "bad_empty.txt", "bad_huge.txt", "bad_json.json", "bad_csv.csv",
       "bad_html.html")


def test_ingest_mixed_folder_reports_every_bad_file_and_keeps_the_good(tmp_path, mixed_folder):
    db = tmp_path / "k.db"
    result = kelisim(db, "ingest", str(mixed_folder))
    assert result.exit_code == EXIT_REJECTED, result.output
    out = result.output
    assert "New documents" in out and "Rejected" in out
    for name in BAD:
        assert name in out, f"{name} not named in the summary"
    stats = json.loads(kelisim(db, "stats", "--json").output)
    assert stats["documents"] == 5
    again = kelisim(db, "ingest", str(mixed_folder))
    assert again.exit_code == EXIT_REJECTED
    assert json.loads(kelisim(db, "stats", "--json").output)["documents"] == 5
    assert "Already stored, unchanged" in again.output


def test_ingest_good_folder_exits_zero_and_second_run_adds_nothing(tmp_path):
    db = tmp_path / "k.db"
    assert kelisim(db, "ingest", str(SEEDS)).exit_code == 0
    first = json.loads(kelisim(db, "stats", "--json").output)
    second_run = kelisim(db, "ingest", str(SEEDS))
    assert second_run.exit_code == 0
    second = json.loads(kelisim(db, "stats", "--json").output)
    assert second["last_run"]["counts"]["skipped"] == {"unchanged": 5}
    del first["last_run"], second["last_run"]
    assert second == first and first["documents"] == 5


def test_sample_ingest_reports_what_was_cleaned(tmp_path):
    result = kelisim(tmp_path / "k.db", "ingest", "--sample")
    assert result.exit_code == 0, result.output
    assert "New documents" in result.output
    assert "repeated paragraph" in result.output
    doc_id = _search_ids(tmp_path / "k.db", "замкнутых этнических районов")[0]
    shown = json.loads(kelisim(tmp_path / "k.db", "show", str(doc_id), "--json").output)
    assert "USD" not in shown["text"] and "Щелкунчик" not in shown["text"]
    assert shown["text"].count("Следует принять действенные меры") == 1


def _search_ids(db, query, *args):
    result = kelisim(db, "search", query, "--json", *args)
    assert result.exit_code == 0, result.output
    return [hit["document_id"] for hit in json.loads(result.output)["hits"]]


def test_search_uses_russian_morphology_and_filters(tmp_path):
    db = tmp_path / "k.db"
    kelisim(db, "ingest", "--sample")
    assembly = _search_ids(db, "Ассамблея")
    assert len(assembly) == 5  # every seed names the Assembly, none in the nominative only
    assert _search_ids(db, "Кордайский район")
    assert _search_ids(db, "Ассамблея", "--lang", "kk") == []
    assert _search_ids(db, "Ассамблея", "--limit", "2") == assembly[:2]
    assert _search_ids(db, "Ассамблея", "--to", "1990-01-01") == []


def test_show_unknown_document_fails_clearly(tmp_path):
    result = kelisim(tmp_path / "k.db", "show", "999")
    assert result.exit_code == 1
    assert "no document with id 999" in result.output


def test_export_jsonl_and_csv(tmp_path):
    db = tmp_path / "k.db"
    kelisim(db, "ingest", "--sample")
    out = tmp_path / "archive.jsonl"
    assert kelisim(db, "export", "--format", "jsonl", "--out", str(out)).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5 and all(r["text"] and r["lang"] == "ru" for r in records)
    result = kelisim(db, "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len({r["id"] for r in rows}) == 5 and all(r["text"] and r["lang"] == "ru" for r in rows)
    assert kelisim(db, "export", "--format", "xml").exit_code == 1


def test_sources_add_list_remove(tmp_path):
    db = tmp_path / "k.db"
    assert kelisim(db, "sources", "add", str(SEEDS), "--name", "seeds").exit_code == 0
    duplicate = kelisim(db, "sources", "add", str(SEEDS), "--name", "seeds")
    assert duplicate.exit_code == 1 and "seeds" in duplicate.output
    listed = json.loads(kelisim(db, "sources", "list", "--json").output)
    assert [(s["name"], s["kind"]) for s in listed] == [("seeds", "folder")]
    collected = kelisim(db, "collect")
    assert collected.exit_code == 0, collected.output
    assert json.loads(kelisim(db, "stats", "--json").output)["documents"] == 5
    assert kelisim(db, "sources", "remove", "seeds").exit_code == 0
    assert json.loads(kelisim(db, "sources", "list", "--json").output) == []
    assert kelisim(db, "sources", "remove", "seeds").exit_code == 1


def test_every_command_has_help_with_an_example(tmp_path):
    for command in (["init"], ["ingest"], ["sources", "add"], ["sources", "list"],
                    ["sources", "remove"], ["collect"], ["watch"], ["search"], ["show"],
                    ["export"], ["stats"], ["read"], ["analyze"], ["correct"], ["corrections"],
                    ["train"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0
        assert "Example: kelisim" in " ".join(result.output.split()), command
