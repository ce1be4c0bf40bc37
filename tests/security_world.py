"""A hostile world for the security tests, built through Kelisim's own API: every text that
ingestion or a user can bring to a page carries markup, script, template syntax and a
right-to-left override, and two regions hold data that must not cross between analysts.

Zhambyl (310000000) gets the hostile documents, alerts, an incident, a story, quotes and
corrections; Almaty (750000000) gets its own, each marked with :data:`SECRET`, so that a test
can tell whether anything of Almaty reached a user limited to Zhambyl.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from kelisim.config import Settings, WebOptions
from kelisim.core import Kelisim
from kelisim.reading.reader import reader_version
from kelisim.records import RawItem
from kelisim.users import Accounts

ZHAMBYL, ALMATY = "310000000", "750000000"
AT = datetime(2024, 3, 14, 18, 59, 59, tzinfo=timezone.utc)
PASSWORD = "верный-пароль-2024"
SECRET = "almsecret"  # in every text of Almaty; a Zhambyl analyst must never see it
ALMATY_SOURCE = "almaty-source"
# What a payload does when it runs: sets the flag the browser test reads, or opens a dialog.
RUN = "window.__pwned=1;alert(1)"
PAYLOAD = (f"<script>{RUN}</script><img src=x onerror=\"{RUN}\"><svg onload=\"{RUN}\">"
           f"\"><script>{RUN}</script>'><img src=x onerror={RUN}>"
           f"</textarea><script>{RUN}</script> {{{{7*7}}}} ${{7*7}} "
           f"javascript:{RUN} data:text/html,<script>{RUN}</script> \u202eevil\u202c")
HOSTILE_USER = f"<img src=x onerror=\"{RUN}\">\u202e"
HOSTILE_URLS = (f"javascript:{RUN}", f" JaVaScRiPt:{RUN}",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")
HOSTILE_NEXT = f'/"><script>{RUN}</script>'
ZHAMBYL_TEXTS = (
    "Тараз. Жители Кордайского района провели встречу: казахи{p} и дунгане обсудили недавний "
    "конфликт в селе Масанчи. Аким района Ерлан Сейтказиев заявил: «Мы не допустим "
    "межнациональной розни {p}». {p}",
    "Шу. В Шуском районе Жамбылской области прошёл фестиваль дружбы народов {p}: выступили "
    "казахские, русские и дунганские ансамбли, гостей встречали хлебом и баурсаками.",
    "Жамбылская область. В Таразе открыли новый дом дружбы {p}; узбекский и курдский "
    "культурные центры провели совместный концерт для школьников Байзакского района.",
)
ALMATY_TEXT = (f"Алматы. В Медеуском районе Алматы прошёл митинг {SECRET}: уйгуры и казахи "
               f"спорили о земле. Аким Алматы Ерболат Досаев заявил: «Конфликт исчерпан "
               f"{SECRET}».")


def settings(db: Path | str, **web) -> Settings:
    """Settings of a world's store (a SQLite path or a database URL), with a fixed key."""
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    return Settings(db_url=url, web=WebOptions(secret_key="k" * 48, **web))


def build(db: Path | str) -> dict:
    """Fill a new store; the ids and refs of what the tests look at."""
    with Kelisim(settings(db)) as kelisim:
        store = kelisim.store
        source = kelisim.add_source(f"https://reader:{SECRET}pw@feeds.example.kz/rss?q={PAYLOAD}",
                                    kind="rss", name=PAYLOAD[:120])
        # Sources are not regional (everyone sees their health): this one's name is no secret.
        other = kelisim.add_source("https://almaty.example.kz/rss", kind="rss",
                                   name=ALMATY_SOURCE)
        store.record_poll(source.id, ok=False, error=f"{PAYLOAD} (https://reader:pw@x.kz/)",
                          new_items=0, at=AT)
        # The whole payload in one text only: in several, they would be near-duplicates.
        marks = (PAYLOAD, f"<svg onload=\"{RUN}\">", f"<img src=x onerror={RUN}>")
        items = [_item(f"test:z{n}", text.format(p=mark), url, source.id, n)
                 for n, (text, mark, url) in enumerate(zip(ZHAMBYL_TEXTS, marks, HOSTILE_URLS))]
        items.append(_item("test:a", ALMATY_TEXT, f"https://almaty.example.kz/{SECRET}",
                           other.id, 9, title=f"Митинг в Алматы {SECRET}"))
        kelisim.ingest_items(items)
        kelisim.read_pending()
        docs = [store.document_id_by_origin(f"test:z{n}") for n in range(len(HOSTILE_URLS))]
        almaty_doc = store.document_id_by_origin("test:a")
        _poison_reading(store, docs[0])
        _mark_reading(store, almaty_doc)
        kelisim.warn(datetime(2024, 3, 20, tzinfo=timezone.utc), send=False)
        ids = {"docs": docs, "doc": docs[0], "doc_a": almaty_doc, "source": source.id,
               **_users(store), **_warning(store, docs[0], almaty_doc)}
        _act(kelisim, ids)
        ids["story"] = store.warning.story_of(docs[0])
        ids["story_a"] = store.warning.story_of(almaty_doc)
        return ids


def _item(origin: str, text: str, url: str, source_id: int, day: int,
          title: str | None = None) -> RawItem:
    return RawItem(origin=origin, body=text, url=url, source_id=source_id,
                   title=title or f"Встреча в Таразе {PAYLOAD}",
                   published=datetime(2024, 3, 1 + day, 8, tzinfo=timezone.utc))


def _poison_reading(store, doc_id: int) -> None:
    """What reading made of the hostile text, plus a person whose name is hostile, who is the
    speaker of its quote (the names a model could take from a hostile page)."""
    reading, text = store.get_reading(doc_id), store.get_document(doc_id).text
    start = text.index("Ерлан Сейтказиев")
    end = start + len("Ерлан Сейтказиев")
    name = f"Ерлан {PAYLOAD}"
    reading["entities"] = [e for e in reading["entities"] if e["type"] != "PER"] + [
        {"type": "PER", "start": start, "end": end, "text": text[start:end], "normal": name,
         "kb_id": None}]
    for quote in reading["quotes"]:
        quote.update(speaker=name, speaker_kb_id=None, speaker_start=start, speaker_end=end)
    store.save_readings([(doc_id, reading)], reader_version())


def _mark_reading(store, doc_id: int) -> None:
    """The Almaty document's people and speakers carry the secret marker."""
    reading = store.get_reading(doc_id)
    for entity in reading["entities"]:
        if entity["type"] == "PER":
            entity["normal"] = f"Ерболат Досаев {SECRET}"
    for quote in reading["quotes"]:
        quote["speaker"] = f"Ерболат Досаев {SECRET}"
    store.save_readings([(doc_id, reading)], reader_version())


def _users(store, hostile: bool = True) -> dict:
    accounts = Accounts(store)
    accounts.add("admin", PASSWORD, "admin")
    accounts.add("aigerim", PASSWORD, "analyst", [ZHAMBYL])
    accounts.add("guest", PASSWORD, "viewer")
    if hostile:
        accounts.add(HOSTILE_USER, PASSWORD, "analyst", [ZHAMBYL])
    return {"tokens": {name: accounts.new_token(name) for name in ("admin", "aigerim", "guest")}}


def _warning(store, doc: int, almaty_doc: int) -> dict:
    span = {"document_id": doc, "text": PAYLOAD, "kind": "hostile"}
    return {"alert": _alert(store, "z", ZHAMBYL, PAYLOAD, [doc], [span]),
            "alert_a": _alert(store, "a", ALMATY, f"Всплеск {SECRET}", [almaty_doc], []),
            "alert_s": _alert(store, "s", None, f"Источник молчит {SECRET}", [], []),
            "incident": _incident(store, ZHAMBYL, PAYLOAD, doc),
            "incident_a": _incident(store, ALMATY, SECRET, almaty_doc)}


def _alert(store, key: str, region: str | None, summary: str, documents: list[int],
           spans: list[dict]) -> int:
    alert_id, _ = store.warning.upsert_alert({
        "key": key, "kind": "spike" if region else "silence", "rule": "hostile-spike",
        "signal": "hostile" if region else None, "unit_kato": region,
        "unit_level": "region" if region else None, "region_kato": region,
        "day": date(2024, 3, 14), "fired_at": AT, "observed": 5.0, "expected": 0.5,
        "p_value": 1e-5, "summary": summary,
        "data": {"unit": {"kato": region, "level": "region", "name": region} if region else None,
                 "documents": documents,
                 "evidence": [{"document_id": d, "title": summary, "spans": spans}
                              for d in documents]}})
    return alert_id


def _incident(store, region: str, text: str, document: int) -> int:
    return store.warning.flag_incident({
        "story_id": None, "type": "violent_clash", "subtype": text[:120], "groups": [text[:120]],
        "region_kato": region, "district_kato": None, "settlement_kato": None,
        "geo_precision": 3, "date": date(2024, 3, 6), "time_precision": 1, "killed": None,
        "injured": 2, "detained": None,
        "evidence": {"documents": [document], "sources": [text[:200]],
                     "spans": [{"document_id": document, "text": text}]}})


def _act(kelisim: Kelisim, ids: dict) -> None:
    """Comments and a correction by the hostile-named user, with hostile words."""
    warning = kelisim.store.warning
    warning.move_alert(ids["alert"], "acknowledge", HOSTILE_USER, PAYLOAD)
    warning.comment_incident(ids["incident"], HOSTILE_USER, PAYLOAD)
    warning.comment_alert(ids["alert_a"], "admin", f"Проверено {SECRET}")
    kelisim.correct(ids["doc"], "event_type", "violent_clash", HOSTILE_USER, comment=PAYLOAD)
