"""A small store for the dashboard's tests: the bundled sample read for real, a document that
carries markup, alerts and incidents in two regions, and three users."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from kelisim.config import Settings, WebOptions
from kelisim.core import Kelisim
from kelisim.records import RawItem
from kelisim.users import Accounts

ZHAMBYL, ALMATY = "310000000", "750000000"
AT = datetime(2024, 3, 14, 18, 59, 59, tzinfo=timezone.utc)
PASSWORD = "верный-пароль-2024"
HOSTILE_TITLE = "<img src=x onerror=alert(1)> Встреча в Таразе"
HOSTILE_TEXT = ("Тараз. <script>alert('xss')</script> Жители Кордайского района провели встречу: "
                "казахи и дунгане обсудили недавний конфликт. Аким района заявил: «Мы не "
                "допустим межнациональной розни».")


def settings(db: Path) -> Settings:
    """Settings of a world's store, with a fixed signing key."""
    return Settings(db_url=f"sqlite:///{db}", web=WebOptions(secret_key="k" * 48))


def build(db: Path) -> dict[str, int]:
    """Fill a new store; the ids of what the tests look at."""
    with Kelisim(settings(db)) as kelisim:
        kelisim.ingest_sample()
        kelisim.ingest_items([RawItem(origin="test:markup", body=HOSTILE_TEXT, title=HOSTILE_TITLE,
                                      published=datetime(2024, 3, 10, 8, tzinfo=timezone.utc))])
        kelisim.read_pending()
        kelisim.warn(datetime(2024, 3, 20, tzinfo=timezone.utc), send=False)
        store = kelisim.store
        accounts = Accounts(store)
        accounts.add("admin", PASSWORD, "admin")
        accounts.add("aigerim", PASSWORD, "analyst", [ZHAMBYL])
        accounts.add("guest", PASSWORD, "viewer")
        markup = store.document_id_by_origin("test:markup")
        return {"markup": markup,
                "alert_z": _alert(store, "z", ZHAMBYL, [markup]),
                "alert_a": _alert(store, "a", ALMATY, []),
                "incident_z": _incident(store, ZHAMBYL, markup),
                "incident_a": _incident(store, ALMATY, None)}


def _alert(store, key: str, region: str, documents: list[int]) -> int:
    alert_id, _ = store.warning.upsert_alert({
        "key": key, "kind": "spike", "rule": "hostile-spike", "signal": "hostile",
        "unit_kato": region, "unit_level": "region", "region_kato": region,
        "day": date(2024, 3, 14), "fired_at": AT, "observed": 5.0, "expected": 0.5,
        "p_value": 1e-5, "summary": f"Всплеск враждебных публикаций ({key})",
        "data": {"unit": {"kato": region, "level": "region", "name": region},
                 "documents": documents, "evidence": []}})
    return alert_id


def _incident(store, region: str, document: int | None) -> int:
    return store.warning.flag_incident({
        "story_id": None, "type": "violent_clash", "subtype": None, "groups": ["казах", "дунганин"],
        "region_kato": region, "district_kato": None, "settlement_kato": None,
        "geo_precision": 3, "date": date(2024, 3, 6), "time_precision": 1, "killed": None,
        "injured": 2, "detained": None,
        "evidence": {"documents": [document] if document else [], "sources": [], "spans": []}})
