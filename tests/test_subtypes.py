"""Sub-types: a few made-up sentences per event type, the first-wins order, the evidence
sentences that limit the search, hostility kinds from the real detector, labels, the table."""

import pytest

from kelisim.clean.pipeline import clean_text
from kelisim.datafiles import package_rows
from kelisim.ethnic import EthnicMatcher
from kelisim.reading.document import TextView
from kelisim.understanding.hostility import HostilityDetector
from kelisim.warning.subtypes import COLUMNS, subtype, subtype_label, subtypes
from tests.shared_data import read_seed


def reading(text: str, language: str = "ru", evidence: tuple = ()) -> dict:
    """A reading in the JSON shape: the text, the event evidence given, and the hostility and
    ethnic mentions the real detectors find."""
    view = TextView.of(text, language)
    mentions = EthnicMatcher.load().find(view)
    found = HostilityDetector.load().detect(view, mentions)
    return {"text": text, "language": language,
            "event": {"evidence": [{"start": s, "end": e, "kind": k, "weight": 3.0} for s, e, k in evidence]},
            "hostility": {"kinds": list(found.kinds),
                          "evidence": [{"kind": c.kind, "weight": c.weight} for c in found.evidence]},
            "ethnic_groups": [{"slur": m.slur} for m in mentions]}


@pytest.mark.parametrize("event_type, text, expected", [
    ("violent_clash", "В селе произошла массовая драка между жителями.", "mob_violence"),
    ("violent_clash", "Неизвестные напали на продавца и избили его.", "attack"),
    ("violent_clash", "Во время драки была открыта стрельба из травматического оружия.", "armed_clash"),
    ("violent_clash", "Ночью неизвестные подожгли дом фермера.", "property_destruction"),
    ("violent_clash", "Ауылда жаппай төбелес болды.", "mob_violence"),
    ("protest_rally", "Жители села вышли на митинг у здания акимата.", "peaceful_protest"),
    ("protest_rally", "Полиция разогнала митинг, задержаны 12 человек.", "protest_with_intervention"),
    ("protest_rally", "Участники митинга перекрыли трассу и забросали полицию камнями.", "violent_demonstration"),
    ("threat_incitement", "Он угрожал соседям расправой.", "threat"),
    ("threat_incitement", "Автор поста разжигал межнациональную рознь.", "incitement"),
    ("law_enforcement", "Полиция задержала подозреваемого.", "arrest"),
    ("law_enforcement", "Возбуждено уголовное дело по статье 174.", "charge"),
    ("law_enforcement", "Суд оштрафовал автора поста.", "court_ruling"),
    ("law_enforcement", "Задержанного суд приговорил к пяти годам лишения свободы.", "sentence"),
    ("law_enforcement", "Күдікті қамауға алынды .", "arrest"),
    ("discrimination_complaint", "Мне отказали в работе из-за национальности.", "employment"),
    ("discrimination_complaint", "Арендодатель не сдал квартиру семье из-за национальности.", "housing"),
    ("official_statement", "Аким поручил провести проверку.", "directive"),
    ("official_statement", "Министр осудил нападение.", "condemnation"),
    ("meeting_conference", "В Таразе прошла конференция по межэтническим отношениям.", "conference"),
    ("mediation_reconciliation", "Аксакалы обоих сёл провели встречу примирения.", "reconciliation"),
    ("cultural_unity", "В Таразе прошёл фестиваль «Достык».", "festival"),
    ("cultural_unity", "В городе отпраздновали Наурыз.", "holiday"),
    ("migration_resettlement", "В область переселились 500 семей кандасов.", "kandas_resettlement"),
    ("language_dispute", "Видео языкового патруля вызвало скандал.", "language_patrol"),
    ("disinformation_provocation", "Полиция опровергла сообщения о столкновениях.", "refutation"),
])
def test_cue_words_decide(event_type, text, expected):
    language = "kk" if any(ch in text for ch in "әқүұі") else "ru"
    assert subtype(event_type, reading(text, language)) == expected


def test_hostility_kinds_decide_threats_and_hate_speech():
    assert subtype("threat_incitement", reading("Бей дунган!")) == "call_to_violence"
    assert subtype("threat_incitement", reading("Дунган надо выгнать из села.")) == "call_to_expel"
    assert subtype("hate_speech", reading("Все эти дунгане воры, это у них в крови.")) == "collective_blame"
    assert subtype("hate_speech", reading("Опять эти чурки заняли весь двор.")) == "slur"


def test_the_first_in_the_tables_order_wins():
    text = "Жители вышли на митинг. Митинг продолжался час. Полиция разогнала митинг."
    assert subtype("protest_rally", reading(text)) == "protest_with_intervention"
    text = "Его задержали, возбудили уголовное дело, суд приговорил его к трём годам."
    assert subtype("law_enforcement", reading(text)) == "sentence"


def test_cues_are_looked_for_near_the_types_evidence():
    text = ("Жители села вышли на митинг у акимата. Они требовали отремонтировать дорогу. "
            "Аким обещал помочь. В прошлом году полиция задержала хулиганов.")
    rally = text.index("митинг")
    assert subtype("protest_rally", reading(text, evidence=((rally, rally + 6, "protest_rally"),))) \
        == "peaceful_protest"
    assert subtype("protest_rally", reading(text)) == "protest_with_intervention"  # no evidence: everywhere


def test_nothing_decides():
    assert subtype("violent_clash", reading("Что-то произошло вчера вечером.")) is None
    assert subtype("other", reading("Массовая драка.")) is None
    assert subtype("no_such_type", reading("Массовая драка.")) is None


def test_the_seeds():
    assert subtype("meeting_conference", reading(clean_text(read_seed("000"), "text").text)) == "round_table"
    assert subtype("official_statement", reading(clean_text(read_seed("002"), "text").text)) == "directive"


def test_subtypes_are_listed_in_order():
    assert subtypes("violent_clash") == ("armed_clash", "mob_violence", "attack", "property_destruction")
    assert subtypes("protest_rally")[-1] == "peaceful_protest"
    assert subtypes("hate_speech") == ("dehumanising", "collective_blame", "slur")
    assert subtypes("law_enforcement") == ("sentence", "court_ruling", "charge", "arrest")
    assert subtypes("other") == ()


def test_labels():
    assert subtype_label("mob_violence") == "Массовые беспорядки, насилие толпы"
    assert subtype_label("peaceful_protest", "ru") == "Мирный протест"
    assert subtype_label("call_to_expel") == "Призыв к выселению"
    assert subtype_label("court_ruling", "en") == "Court ruling"
    with pytest.raises(KeyError):
        subtype_label("no_such_subtype")


def test_the_table_covers_known_event_types_with_russian_labels():
    known = {r["id"] for r in package_rows("kelisim.understanding", "data/event_types.tsv")}
    rows = package_rows("kelisim.warning", "data/subtypes.tsv", COLUMNS)
    assert {r["event_type"] for r in rows} <= known
    assert {r["event_type"] for r in rows} == known - {"other"}
    for row in rows:
        assert any("а" <= ch <= "я" for ch in subtype_label(row["subtype"]).lower()), row
