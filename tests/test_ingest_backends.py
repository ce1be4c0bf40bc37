"""The whole ingest pipeline gives the same archive on SQLite and PostgreSQL."""

from __future__ import annotations

from kelisim.config import IngestOptions, Settings
from kelisim import ingest
from kelisim.core import Kelisim
from tests.shared_data import factru_texts


def _reprint_folder(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    texts = [t for t in factru_texts() if len([x for x in t.splitlines() if x.strip()]) >= 3]
    for number, text in enumerate(texts[:20]):
        (folder / f"{number:03d}.txt").write_text(text, encoding="utf-8")
        lines = [line for line in text.splitlines() if line.strip()]
        (folder / f"{number:03d}_outlet.txt").write_text(
            text + "\nИсточник: Tengrinews.kz", encoding="utf-8")
        (folder / f"{number:03d}_trimmed.txt").write_text("\n".join(lines[1:]), encoding="utf-8")
    return folder


def test_ingest_search_and_idempotence_on_each_backend(store_url, tmp_path):
    folder = _reprint_folder(tmp_path)
    with Kelisim(Settings(db_url=store_url, ingest=IngestOptions(workers=2))) as kelisim:
        kelisim.ingest_sample()
        first = kelisim.ingest_paths([folder])
        assert first.added == 20 and first.reprints_exact + first.reprints_near == 40
        again = kelisim.ingest_paths([folder])
        assert again.added == again.reprints_near == again.reprints_exact == 0
        assert again.skipped == {"unchanged": 60}
        assert kelisim.store.integrity_problems() == []
        stats = kelisim.store.stats()
        assert stats.documents == 25 and stats.reprints_exact + stats.reprints_near == 40
        assembly = kelisim.search("Ассамблеей народа Казахстана")
        assert assembly.total == 5
        kordai = kelisim.search("Кордайский район")
        assert {h.document_id for h in kordai.hits} <= {h.document_id for h in assembly.hits}
        doc = kelisim.store.get_document(kelisim.search("Мажилиса").hits[0].document_id)
        assert doc.lang == "ru" and doc.text


def test_a_changed_text_at_the_same_origin_updates_its_document(store_url, tmp_path):
    folder = _reprint_folder(tmp_path)
    with Kelisim(Settings(db_url=store_url, ingest=IngestOptions(workers=1))) as kelisim:
        kelisim.ingest_paths([folder])
        edited = folder / "000.txt"
        edited.write_text(edited.read_text(encoding="utf-8")
                          + "\nДополнение: в Кордайском районе прошла встреча с этномедиаторами.",
                          encoding="utf-8")
        summary = kelisim.ingest_paths([folder])
        assert (summary.updated, summary.added, summary.skipped["unchanged"]) == (1, 0, 59)
        (hit,) = kelisim.search("этномедиатор").hits
        doc = kelisim.store.get_document(hit.document_id)
        assert doc.origin == f"file:{edited.resolve()}" and doc.text.endswith("этномедиаторами.")
        assert kelisim.store.integrity_problems() == []


def test_unchanged_input_is_not_cleaned_again(store_url, tmp_path, monkeypatch):
    folder = _reprint_folder(tmp_path)
    settings = Settings(db_url=store_url, ingest=IngestOptions(workers=1))
    with Kelisim(settings) as kelisim:
        kelisim.ingest_paths([folder])
        prepared = []
        real_prepare = ingest.prepare
        monkeypatch.setattr(ingest, "prepare", lambda item, options: prepared.append(item.origin)
                            or real_prepare(item, options))
        (folder / "001.txt").write_text("Новый текст о встрече в акимате Жамбылской области.",
                                        encoding="utf-8")
        summary = kelisim.ingest_paths([folder])
    assert prepared == [f"file:{(folder / '001.txt').resolve()}"]
    assert (summary.updated, summary.skipped["unchanged"]) == (1, 59)
