"""Local files, record files with column mappings, and Telegram exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kelisim.config import IngestOptions
from kelisim.records import RawItem, Skip
from kelisim.sources import guess_kind
from kelisim.sources.files import read_paths
from kelisim.sources.records_fields import FieldMap, MappingError
from tests.shared_data import seed_texts

OPTIONS = IngestOptions()


def _read(*paths: Path, fields: FieldMap = FieldMap(), options: IngestOptions = OPTIONS):
    results = list(read_paths(list(paths), options, fields=fields))
    return [r for r in results if isinstance(r, RawItem)], [r for r in results if isinstance(r, Skip)]


def test_document_files_of_each_kind(tmp_path):
    text = seed_texts()[0]
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.html").write_text(f"<html><body><p>{text}</p></body></html>", encoding="utf-8")
    (tmp_path / "c.md").write_text(f"# Заголовок\n\n{text}", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(text, encoding="utf-8")
    items, skips = _read(tmp_path)
    assert [Path(i.meta["path"]).name for i in items] == ["a.txt", "b.html", "c.md"]
    assert [i.kind for i in items] == ["text", "html", "markdown"]
    assert all(i.origin == f"file:{i.meta['path']}" for i in items)
    assert skips == []


def test_jsonl_records_with_default_field_names(tmp_path):
    seeds = seed_texts()
    lines = [json.dumps({"id": f"n{i}", "title": f"Заголовок {i}", "body": t,
                         "published_at": "2021-10-14"}, ensure_ascii=False)
             for i, t in enumerate(seeds[:3])]
    (tmp_path / "news.jsonl").write_text("\n".join(lines) + "\n{broken\n", encoding="utf-8")
    items, skips = _read(tmp_path / "news.jsonl")
    assert [i.title for i in items] == ["Заголовок 0", "Заголовок 1", "Заголовок 2"]
    assert items[1].body == seeds[1] and items[1].meta["published_raw"] == "2021-10-14"
    assert items[0].origin.endswith("news.jsonl#n0")
    assert [s.reason for s in skips] == ["malformed_json"]
    assert "line 4" in skips[0].message


def test_json_list_and_wrapped_list(tmp_path):
    seeds = seed_texts()
    (tmp_path / "list.json").write_text(json.dumps([{"text": seeds[0]}, {"text": ""}],
                                                    ensure_ascii=False), encoding="utf-8")
    (tmp_path / "wrapped.json").write_text(json.dumps({"items": [{"content": seeds[1]}]},
                                                      ensure_ascii=False), encoding="utf-8")
    items, skips = _read(tmp_path)
    assert [i.body for i in items] == [seeds[0], seeds[1]]
    assert [s.reason for s in skips] == ["no_text"]


def test_csv_with_a_column_mapping(tmp_path):
    seeds = seed_texts()
    rows = "\n".join(f'{i};"{s[:80]}";"{s.replace(chr(34), chr(34) * 2)}"' for i, s in enumerate(seeds))
    (tmp_path / "export.csv").write_text("nomer;zagolovok;tekst\n" + rows + "\n", encoding="utf-8")
    fields = FieldMap.parse("text=tekst,title=zagolovok,id=nomer")
    items, skips = _read(tmp_path / "export.csv", fields=fields)
    assert skips == []
    assert [i.body for i in items] == seeds  # exactly as in the cell: analyze --verbatim relies on it
    assert items[2].origin.endswith("export.csv#2")


def test_csv_without_the_text_column_names_the_columns(tmp_path):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    items, skips = _read(tmp_path / "x.csv")
    assert items == [] and skips[0].reason == "bad_mapping"
    assert "'a', 'b'" in skips[0].message and "--map text=" in skips[0].message


def test_malformed_csv_keeps_the_rows_before_the_error(tmp_path):
    seeds = seed_texts()
    (tmp_path / "bad.csv").write_text(f'text\n"{seeds[0][:200]}"\n"unterminated', encoding="utf-8")
    items, skips = _read(tmp_path / "bad.csv")
    assert len(items) == 1 and [s.reason for s in skips] == ["malformed_csv"]


def test_mapping_errors_are_clear():
    with pytest.raises(MappingError, match="unknown field 'body'"):
        FieldMap.parse("body=text")
    with pytest.raises(MappingError, match="field=column"):
        FieldMap.parse("text")


def test_bad_files_are_skipped_with_reasons(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "big.txt").write_bytes(b"a" * 2000)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 ...")
    (tmp_path / "broken.json").write_text('{"text": "abc",', encoding="utf-8")
    options = IngestOptions(max_document_bytes=1000)
    items, skips = _read(tmp_path, tmp_path / "missing.txt", options=options)
    assert items == []
    reasons = {Path(s.origin.split(":", 1)[1]).name: s.reason for s in skips}
    assert reasons == {"big.txt": "too_large", "broken.json": "malformed_json",
                       "empty.txt": "empty", "scan.pdf": "unsupported", "missing.txt": "not_found"}
    assert all(str(tmp_path) in s.message for s in skips)


def _telegram_export(seeds: list[str]) -> dict:
    return {
        "name": "Новости Жамбыла", "type": "public_channel", "id": 1234567890,
        "messages": [
            {"id": 1, "type": "service", "date": "2021-10-14T09:00:00", "action": "create_channel"},
            {"id": 2, "type": "message", "date": "2021-10-14T10:00:00", "date_unixtime": "1634184000",
             "from": "Новости Жамбыла", "text": seeds[0]},
            {"id": 3, "type": "message", "date": "2021-10-15T10:00:00", "date_unixtime": "1634270400",
             "text": [{"type": "bold", "text": "Важно: "}, seeds[1][:300],
                      {"type": "link", "text": "https://example.kz/a"}]},
            {"id": 4, "type": "message", "date": "2021-10-15T11:00:00", "photo": "photos/1.jpg",
             "text": ""},
        ],
    }


def test_telegram_export(tmp_path):
    seeds = seed_texts()
    path = tmp_path / "result.json"
    path.write_text(json.dumps(_telegram_export(seeds), ensure_ascii=False), encoding="utf-8")
    items, skips = _read(path)
    assert [i.origin for i in items] == ["tg:1234567890/2", "tg:1234567890/3"]
    assert items[0].body == seeds[0] and items[0].published.isoformat() == "2021-10-14T04:00:00+00:00"
    assert items[1].body.startswith("Важно: ") and items[1].body.endswith("https://example.kz/a")
    assert [s.reason for s in skips] == ["media_only"]
    assert guess_kind(str(path)) == "telegram"


def test_guess_kind(tmp_path):
    assert guess_kind("https://example.kz/rss") == "rss"
    assert guess_kind("https://example.kz/sitemap.xml") == "sitemap"
    assert guess_kind("https://example.kz/news/123") == "web"
    assert guess_kind(str(tmp_path)) == "folder"
