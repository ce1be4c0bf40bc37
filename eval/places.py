"""Measure the place matcher and print the figures as Markdown.

1. Ambiguity: how many KATO settlements share their name with another settlement.
2. Settlement resolution on a synthetic set built from KATO itself (gold known: «с. X Y-ского
   района», «в Z-ской области в селе X», «X ауылы» …) and on a hand-labelled set of real KazNERD
   sentences that name villages; right / abstained / wrong for each.
3. Region resolution on KazNERD (Kazakh TV news, IOB2): the GPE mentions that name a region or a
   city of Kazakhstan, with their region from the hand-checked tables REGIONS and CITIES below;
   precision, recall and F1. Countries the same way (COUNTRIES).
4. False alarms: units of Kazakhstan found in the Russian factRuEval news (about Russia and the
   world), and speed of ``find`` on the seeds.

Run: ``.venv/bin/python eval/places.py [--data ../shared/data]``.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from collections import Counter
from pathlib import Path

from kelisim.places import Gazetteer, PlaceMatcher
from kelisim.reading.document import TextView

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SEEDS = DATA.parent / "seeds"

# How the gold tables were built: every distinct GPE span of IOB2_valid.txt was listed with its
# sentence; a span counts when it names a region (the words before «облысы/облысында/…») or a city
# of Kazakhstan (the span is the city's Kazakh name plus at most one case ending from ENDINGS).
# Each name was checked by hand against KATO (region of the city administration or town today:
# Семей and Курчатов are in the Abai region, Талдықорған and Текелі in Zhetisu, Жезқазған and
# Қаражал in Ulytau since 2022). Names that are also persons or shared by several units are left
# out: Абай, Жамбыл (bare), Ақсу, Ақсай, Алтай, Есіл, Шу, Ақкөл. «Орал облысы» is the old name of
# the West Kazakhstan region; «Ақмола» alone is left out (region or the capital's old name).
REGIONS = {
    "Абай": "100000000", "Ақмола": "110000000", "Ақтөбе": "150000000", "Алматы": "190000000",
    "Атырау": "230000000", "Батыс Қазақстан": "270000000", "Орал": "270000000", "Жамбыл": "310000000",
    "Жетісу": "330000000", "Қарағанды": "350000000", "Қостанай": "390000000", "Қызылорда": "430000000",
    "Маңғыстау": "470000000", "Павлодар": "550000000", "Солтүстік Қазақстан": "590000000",
    "Түркістан": "610000000", "Оңтүстік Қазақстан": "610000000", "Ұлытау": "620000000",
    "Шығыс Қазақстан": "630000000",
}
CITIES = {
    "Астана": "710000000", "Нұр-Сұлтан": "710000000", "Алматы": "750000000", "Шымкент": "790000000",
    "Семей": "100000000", "Курчатов": "100000000", "Көкшетау": "110000000", "Қосшы": "110000000",
    "Степногор": "110000000", "Ақтөбе": "150000000", "Хромтау": "150000000", "Қапшағай": "190000000",
    "Қонаев": "190000000", "Атырау": "230000000", "Орал": "270000000", "Тараз": "310000000",
    "Талдықорған": "330000000", "Текелі": "330000000", "Сарқан": "330000000", "Жаркент": "330000000",
    "Қарағанды": "350000000", "Теміртау": "350000000", "Балқаш": "350000000", "Шахтинск": "350000000",
    "Саран": "350000000", "Приозерск": "350000000", "Қостанай": "390000000", "Рудный": "390000000",
    "Арқалық": "390000000", "Лисаков": "390000000", "Қызылорда": "430000000", "Байқоңыр": "430000000",
    "Арал": "430000000", "Ақтау": "470000000", "Жаңаөзен": "470000000", "Форт-Шевченко": "470000000",
    "Павлодар": "550000000", "Екібастұз": "550000000", "Петропавл": "590000000", "Тайынша": "590000000",
    "Түркістан": "610000000", "Арыс": "610000000", "Кентау": "610000000", "Шардара": "610000000",
    "Жезқазған": "620000000", "Сәтбаев": "620000000", "Қаражал": "620000000", "Өскемен": "630000000",
    "Риддер": "630000000", "Шемонаиха": "630000000", "Зайсан": "630000000",
}
# Countries, checked the same way: the span is the country's Kazakh name plus at most one ending.
COUNTRIES = {
    "Қазақстан": "Казахстан", "Қазақстан Республикасы": "Казахстан", "Ресей": "Россия",
    "Ресей Федерациясы": "Россия", "Россия": "Россия", "Қытай": "Китай", "Қытай Халық Республикасы": "Китай",
    "АҚШ": "США", "Америка": "США", "Америка Құрама Штаттары": "США", "Құрама Штаттар": "США",
    "Өзбекстан": "Узбекистан", "Қырғызстан": "Кыргызстан", "Қырғыз Республикасы": "Кыргызстан",
    "Тәжікстан": "Таджикистан", "Түрікменстан": "Туркменистан", "Ауғанстан": "Афганистан",
    "Түркия": "Турция", "Түркия Республикасы": "Турция", "Моңғолия": "Монголия", "Монғолия": "Монголия",
    "Украина": "Украина", "Беларусь": "Беларусь", "Беларусь Республикасы": "Беларусь",
    "Белоруссия": "Беларусь", "Әзірбайжан": "Азербайджан", "Грузия": "Грузия", "Армения": "Армения",
    "Молдова": "Молдова", "Германия": "Германия", "Иран": "Иран", "Иран Ислам Республикасы": "Иран",
    "Оңтүстік Корея": "Республика Корея", "Корея": "Республика Корея", "Жапония": "Япония",
    "Үндістан": "Индия", "Ұлыбритания": "Великобритания", "Англия": "Великобритания",
    "Франция": "Франция", "Италия": "Италия", "Испания": "Испания", "Португалия": "Португалия",
    "Польша": "Польша", "Венгрия": "Венгрия", "Мажарстан": "Венгрия", "Сербия": "Сербия",
    "Хорватия": "Хорватия", "Грекия": "Греция", "Кипр": "Кипр", "Аустрия": "Австрия",
    "Швейцария": "Швейцария", "Нидерланд": "Нидерланды", "Голландия": "Нидерланды", "Бельгия": "Бельгия",
    "Швеция": "Швеция", "Дания": "Дания", "Литва": "Литва", "Канада": "Канада", "Мексика": "Мексика",
    "Бразилия": "Бразилия", "Аргентина": "Аргентина", "Аустралия": "Австралия", "Сирия": "Сирия",
    "Ирак": "Ирак", "Сауд Арабиясы": "Саудовская Аравия", "Біріккен Араб Әмірліктері": "ОАЭ",
    "Сингапур": "Сингапур", "Индонезия": "Индонезия", "Филиппин": "Филиппины", "Нигерия": "Нигерия",
    "Тайланд": "Таиланд",
}
ENDINGS = frozenset("""да де та те ға ге қа ке на не ның нің дың дің тың тің ды ді ты ті ны ні н
    дан ден тан тен нан нен мен бен пен дағы дегі тағы тегі ндағы ндегі дай дей""".split()) | {""}

# Real sentences of KazNERD (the first one containing the fragment) that name villages, labelled
# by hand: the KATO code of the village (checked against the district or region the sentence
# names, or the only village so named), "abstain" where the sentence cannot tell which of several
# villages it means, "none" where the name is not a village of Kazakhstan (a city abroad, a river).
VILLAGES = [
    ("Мұнайлы ауданындағы Дәулет аулында", "Дәулет", "475038100"),
    ("Жангелдин ауданындағы Аралбай аулында", "Аралбай", "394247100"),
    ("Мәселен , Шаховское аулы маңында", "Шаховское", "595059300"),
    ("Алматы облысының Қарақастек аулында", "Қарақастек", "194251100"),
    ("Шығыстағы Глубокое ауданындағы Белоусовка", "Белоусовка", "634037100"),
    ("Қазір Балқаш ауданындағы Бақбақты", "Бақбақты", "193643100"),
    ("Қазір Балқаш ауданындағы Бақбақты", "Бірлік", "193647100"),
    ("Қазір Балқаш ауданындағы Бақбақты", "Ақдала", "abstain"),
    ("Биыл Жданов аулына бұрылыс тоғыз", "Жданов", "395445100"),
    ("Яғни осы Қарнақ аулында", "Қарнақ", "612039100"),
    ("Жаңа оқу жылы Қазығұрт ауданының Жаңабазар", "Жаңабазар", "614035100"),
    ("Енді ол Теңдік , Мироновка", "Теңдік", "596067100"),
    ("Енді ол Теңдік , Мироновка", "Мироновка", "596064100"),
    ("Енді ол Теңдік , Мироновка", "Кантемировское", "596067600"),
    ("Қарағанды облысының Бұрма аулында", "Бұрма", "356445100"),
    ("Тек екі тәуліктен соң Бұрма аулы", "Бұрма", "abstain"),
    ("Қазіргі Өтеген батыр кентінде", "Өтеген батыр", "196830100"),
    ("Алматы облысы Өтеген батыр кентінің", "Өтеген батыр", "196830100"),
    ("Үлбі кентіндегі тұрғындар", "Үлбі", "632400200"),
    ("Осымен , келген жаймыз осы Бадамға", "Бадамға", "614633100"),
    ("Инвесторды тауып , Ильинкаға", "Ильинкаға", "594247100"),
    ("Қазір топан су Құлыкөл аулындағы", "Құлыкөл", "596446100"),
    ("Жалпы Жаушықұм , Айдаркөл", "Жаушықұм", "616437100"),
    ("Жалпы Жаушықұм , Айдаркөл", "Жоласар", "616439400"),
    ("Меновное кентіндегі бұрын", "Меновное", "631000300"),
    ("Айта кетейік , соңғы деректерге сәйкес эвакуациялық", "Мырзакент", "614430100"),
    ("Айта кетейік , соңғы деректерге сәйкес эвакуациялық", "Ақжол", "614455700"),
    ("Қызылорда облысының Сексеуіл кентінде", "Сексеуіл", "433257100"),
    ("Қобда ауданы , Талдысай аулындағы", "Талдысай", "154265100"),
    ("Ол осылайша төртінші мамыр күні көршілес Еңбекшіқазақ", "Шелек", "194083100"),
    ("Келесі кезекте Құмкешу , Қабырға", "Құмкешу", "393461100"),
    ("Келесі кезекте Құмкешу , Қабырға", "Қабырға", "393453100"),
    ("Ал Қарағанды облысының Шет ауданына қарасты Қайрақты", "Қайрақты", "356430500"),
    ("Сұрастырса , мекеме қызметкерлері", "Сайқын", "275430100"),
    ("Жергілікті билік үш мыңға жуық халқы бар Бірлік", "Бірлік", "abstain"),
    ("Ақтас елді мекеннің тұрғындары", "Ақтас", "abstain"),
    ("Ақтерек аулының бес көшесіне", "Ақтерек", "abstain"),
    ("Оқыс оқиға қала маңындағы Бескөл", "Бескөл", "abstain"),
    ("Белоусовка кентінің арнайы уақытпен ғана ағатын ауыз суға қарап отырғанына он", "Белоусовка", "abstain"),
    ("Шідерті маңында қар", "Шідерті", "abstain"),
    ("Бестөбедегі мәселе белгілі", "Бестөбедегі", "abstain"),
    ("Ауданда Басқұдықтан өзге Атамекен", "Атамекен", "abstain"),
    ("Жамағатымыз бастап , бүкіл осы Ақжар", "Ақжар", "abstain"),
    ("Алдымен Ертіс аулындағы екі мың", "Ертіс", "abstain"),
    ("Мәскеуде Владимир Путинмен", "Мәскеуде", "none"),
    ("Аптасына бес рет Мәскеу", "Мәскеу", "none"),
    ("Киевке бағыт алған « Боинг", "Киевке", "none"),
    ("Ташкент өткізейін деп", "Ташкент", "none"),
    ("Қазір олар Қазан қаласында", "Қазан", "none"),
    ("Ертіс өзенінде су деңгейі", "Ертіс", "none"),
    ("Олар мұнайлы өңірдегі жалғыз тұрақты су көзі Жайық", "Жайық", "none"),
    ("Сонымен бірге Каспийдің", "Каспийдің", "none"),
]

SYNTHETIC = {
    "ru_district": "Жители {village} {district} обратились в акимат.",
    "ru_region": "В {region} жители {village} пожаловались на дороги.",
    "ru_bare": "В Казахстане жители {village} пожаловались на дороги.",
    "kk_district": "{region} {district} қарасты {village} тұрғындары жиналды.",
    "kk_bare": "{village} тұрғындары жиналды.",
}


def fingerprint(data: Path = DATA) -> str:
    """SHA-256 over the evaluation files, so a changed corpus is noticed."""
    digest = hashlib.sha256()
    for path in [data / "kaznerd" / "IOB2_valid.txt", *sorted((data / "factru-dev").glob("*.txt"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def kaznerd_sentences(path: Path) -> list[list[tuple[str, str]]]:
    """The sentences of an IOB2 file as (token, tag) pairs."""
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            current.append((parts[0], parts[1]))
        elif current:
            sentences.append(current)
            current = []
    return sentences + ([current] if current else [])


def entity_spans(sentence: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """(type, first token, end token) of every IOB2 entity."""
    spans: list[list] = []
    for k, (_, tag) in enumerate(sentence):
        if tag.startswith("B-"):
            spans.append([tag[2:], k, k + 1])
        elif tag.startswith("I-") and spans and spans[-1][0] == tag[2:] and spans[-1][2] == k:
            spans[-1][2] = k + 1
    return [tuple(span) for span in spans]


def joined(sentence: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence's tokens joined by spaces, and each token's character span."""
    offsets, position = [], 0
    for token, _ in sentence:
        offsets.append((position, position + len(token)))
        position += len(token) + 1
    return " ".join(token for token, _ in sentence), offsets


def _lookup(table: dict[str, str], words: list[str]) -> str | None:
    """The table value for a span: a name from ``table`` plus at most one ending on its last word."""
    text = " ".join(words)
    for name in sorted(table, key=len, reverse=True):
        if text.startswith(name) and text[len(name):] in ENDINGS:
            return table[name]
    return None


# Where a city's name stands for the district of the same name in another region: «Балқаш
# ауданы» is in the Almaty region, the city of Балқаш in the Karaganda region. The other cities
# of CITIES whose name is also a district's (Арал, Шардара, Сарқан, Зайсан, Хромтау) are in the
# same region as the district. One sentence coordinates the district without «ауданы» after it.
DISTRICT_REGIONS = {"Балқаш": "190000000"}
DISTRICT_SENTENCES = ("Ал Балқаш пен жаңадан құрылған Райымбек аудандарында",)


def gold_region(words: list[str], following: str = "", sentence: str = "") -> str | None:
    """The region KATO code of a GPE span naming a region or city of Kazakhstan, else None;
    ``following`` is the word after the span, ``sentence`` the whole sentence."""
    at = next((k for k, word in enumerate(words) if word.lower().startswith("облыс")), None)
    if at is not None:
        return REGIONS.get(" ".join(words[:at])) if at == len(words) - 1 else None
    district = following.lower().startswith("аудан") or sentence.startswith(DISTRICT_SENTENCES)
    if district and " ".join(words) in DISTRICT_REGIONS:
        return DISTRICT_REGIONS[" ".join(words)]
    return _lookup(CITIES, words) or (_lookup({"Солтүстік Қазақстан": "590000000"}, words))


def _prf(right: int, predicted: int, gold: int) -> dict:
    precision = right / predicted if predicted else 0.0
    recall = right / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def kaznerd_resolution(sentences, matcher: PlaceMatcher) -> dict[str, dict]:
    """Region resolution of GPE mentions naming Kazakhstan's regions and cities, and country
    resolution of GPE mentions naming countries.

    A gold mention is found when a mention overlaps it; it is right when the mention's region
    (countries: country) is the gold one. Precision counts as wrong a found mention with another
    region, and a mention of a unit of Kazakhstan that overlaps a PERSON span (a person read as a
    place); mentions elsewhere (inside organisation names, untagged words) are not judged.
    """
    tallies = {"region": Counter(), "country": Counter()}
    errors: list[str] = []
    for sentence in sentences:
        spans = entity_spans(sentence)
        if not any(kind in ("GPE", "PERSON") for kind, _, _ in spans):
            continue
        text, offsets = joined(sentence)
        mentions = matcher.find(TextView.of(text, "kk", None))
        for kind, a, b in spans:
            start, end = offsets[a][0], offsets[b - 1][1]
            found = [m for m in mentions if m.start < end and m.end > start]
            words = [token for token, _ in sentence[a:b]]
            if kind == "PERSON":
                tallies["region"]["wrong"] += sum(1 for m in found if m.place.region_kato)
                errors += [f"person as place: {m.text} → {m.place.name}" for m in found if m.place.region_kato]
                continue
            if kind != "GPE":
                continue
            following = sentence[b][0] if b < len(sentence) else ""
            tasks = (("region", gold_region(words, following, text), lambda m: m.place.region_kato),
                     ("country", _lookup(COUNTRIES, words), lambda m: m.place.country))
            for task, gold, value in tasks:
                if gold is None:
                    continue
                tally = tallies[task]
                tally["gold"] += 1
                hits = [value(m) for m in found if value(m)]
                if gold in hits:
                    tally["right"] += 1
                if any(hit != gold for hit in hits):
                    tally["wrong"] += 1
                    errors.append(f"{task}: {' '.join(words)} → {[m.place.name for m in found]}")
                elif not hits:
                    errors.append(f"{task} missed: {' '.join(words)}")
    results = {}
    for task, tally in tallies.items():
        counts = {key: tally[key] for key in ("gold", "right", "wrong")}
        results[task] = {**_prf(tally["right"], tally["right"] + tally["wrong"], tally["gold"]), **counts}
    results["errors"] = errors
    return results


def ambiguity(gazetteer: Gazetteer) -> dict:
    """How settlement names (villages, settlements and towns that the matcher indexes) are shared."""
    settlements = [p for p in gazetteer
                   if p.level == "settlement" and p.kind_ru in ("село", "посёлок", "город")]
    by_name = Counter(p.name_ru.lower().replace("ё", "е") for p in settlements)
    share = Counter(by_name[p.name_ru.lower().replace("ё", "е")] for p in settlements)
    buckets = {"1": 0, "2": 0, "3-5": 0, "6-10": 0, "11+": 0}
    for size, count in share.items():
        key = "1" if size == 1 else "2" if size == 2 else "3-5" if size <= 5 else "6-10" if size <= 10 else "11+"
        buckets[key] += count
    in_district = Counter((p.district_code, p.name_ru.lower()) for p in settlements)
    in_region = Counter((p.region_code, p.name_ru.lower()) for p in settlements)
    return {
        "settlements": len(settlements),
        "names": len(by_name),
        "shared": sum(count for size, count in share.items() if size > 1) / len(settlements),
        "by_sharing": buckets,
        "unique_in_district": sum(1 for p in settlements if in_district[(p.district_code, p.name_ru.lower())] == 1)
        / len(settlements),
        "unique_in_region": sum(1 for p in settlements if in_region[(p.region_code, p.name_ru.lower())] == 1)
        / len(settlements),
        "most_shared": by_name.most_common(5),
    }


def synthetic_cases(gazetteer: Gazetteer, size: int, seed: int = 7) -> list[tuple]:
    """(scenario, text, (offset, village as written), gold code) from a seeded sample of villages."""
    villages = sorted((p for p in gazetteer
                       if p.level == "settlement" and p.kind_ru == "село" and p.name_ru[:1].isupper()
                       and not any(ch.isdigit() for ch in p.name_ru)), key=lambda p: p.code)
    sample = random.Random(seed).sample(villages, size)
    cases = []
    for village in sample:
        district, region = gazetteer.district_of(village.code), gazetteer.region_of(village.code)
        if district is None or district.kind_ru != "район" or region.kind_ru != "область":
            continue
        ru = {"village": f"с. {village.name_ru}", "district": _district_ru(district), "region": _region_ru(region)}
        kk = {"village": f"{village.name_kk} ауылының", "district": f"{district.name_kk} ауданына",
              "region": f"{region.name_kk} облысы"}
        for scenario, template in SYNTHETIC.items():
            names = kk if scenario.startswith("kk") else ru
            written = village.name_kk if scenario.startswith("kk") else village.name_ru
            text = template.format(**names)
            offset = text.index(names["village"]) + names["village"].index(written)
            cases.append((scenario, text, (offset, written), village.code))
    return cases


def _district_ru(district) -> str:
    """«Кордайского района», «района Турара Рыскулова»: the district in the genitive."""
    name = district.name_ru
    return f"{name[:-2]}ого района" if name.endswith("ий") else f"района {name}"


def _region_ru(region) -> str:
    """«Жамбылской области», «области Абай»: the region in the locative."""
    name = region.name_ru
    return f"{name[:-2]}ой области" if name.endswith("ая") else f"области {name}"


def score_cases(cases, matcher: PlaceMatcher, language_of=lambda scenario: scenario[:2]) -> dict[str, Counter]:
    """Right / region-only / abstained / wrong counts per scenario."""
    results: dict[str, Counter] = {}
    for scenario, text, written, gold in cases:
        start, written = written if isinstance(written, tuple) else (text.index(written), written)
        mentions = matcher.find(TextView.of(text, language_of(scenario), None))
        found = [m for m in mentions if m.start < start + len(written) and m.end > start]
        results.setdefault(scenario, Counter())[_outcome(found, gold)] += 1
    return results


def _outcome(found, gold: str) -> str:
    codes = [m.place.kato for m in found if m.place.kato]
    if gold == "none":
        return "right" if not codes else "wrong"
    if gold == "abstain":
        return "right" if not codes else "wrong"
    if gold in codes:
        return "right"
    if codes:
        return "wrong"
    regions = [m.place.region_kato for m in found if m.place.region_kato]
    if regions and all(region == gold[:2] + "0000000" for region in regions):
        return "region_only"
    return "wrong" if regions else "abstained"


def real_villages(sentences, matcher: PlaceMatcher) -> Counter:
    """Right / abstained / wrong on the hand-labelled KazNERD village mentions (VILLAGES)."""
    texts = [" ".join(token for token, _ in sentence) for sentence in sentences]
    cases = []
    for fragment, written, gold in VILLAGES:
        text = next(t for t in texts if fragment in t)
        cases.append(("kk", text, written, gold))
    return score_cases(cases, matcher, language_of=lambda scenario: "kk")["kk"]


def factru_false_alarms(folder: Path, matcher: PlaceMatcher) -> dict:
    """Units of Kazakhstan found in factRuEval news (none of it is about Kazakhstan's regions)."""
    found = []
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    for text in texts:
        found += [m.text for m in matcher.find(TextView.of(text, "ru", None)) if m.place.region_kato]
    return {"documents": len(texts), "kazakhstan_units": len(found), "examples": found[:10]}


def speed(matcher: PlaceMatcher, seeds: Path, rounds: int = 20) -> dict:
    """CPU microseconds per ``find`` on each seed, tokenisation excluded, after a warm-up run."""
    views = [TextView.of(p.read_text(encoding="utf-8"), "ru", None) for p in sorted(seeds.glob("*.txt"))]
    for view in views:
        matcher.find(view)
    start = time.process_time()  # CPU time: other processes on the machine do not count
    for _ in range(rounds):
        for view in views:
            matcher.find(view)
    seconds = (time.process_time() - start) / (rounds * len(views))
    chars = sum(len(v.text) for v in views) / len(views)
    return {"us_per_document": seconds * 1e6, "mean_chars": chars, "us_per_3kb": seconds * 1e6 * 3000 / chars}


def evaluate(data: Path = DATA, synthetic_size: int = 300, timing: bool = True) -> dict:
    """Every figure of this evaluation (``timing=False`` skips the speed measurement)."""
    gazetteer, matcher = Gazetteer.load(), PlaceMatcher.load()
    sentences = kaznerd_sentences(data / "kaznerd" / "IOB2_valid.txt")
    results = {
        "ambiguity": ambiguity(gazetteer),
        "synthetic": score_cases(synthetic_cases(gazetteer, synthetic_size), matcher),
        "real_villages": real_villages(sentences, matcher),
        "kaznerd": kaznerd_resolution(sentences, matcher),
        "factru": factru_false_alarms(data / "factru-dev", matcher),
    }
    if timing:
        results["speed"] = speed(matcher, data.parent / "seeds")
    return results


def markdown(results: dict) -> str:
    """The results as Markdown tables."""
    amb = results["ambiguity"]
    lines = [f"KATO settlements indexed: {amb['settlements']:,} under {amb['names']:,} names; "
             f"{amb['shared']:.1%} share their name with another settlement; "
             f"{amb['unique_in_district']:.1%} are unique in their district, "
             f"{amb['unique_in_region']:.1%} in their region.", "",
             "| settlements whose name is borne by | " + " | ".join(amb["by_sharing"]) + " |",
             "|---|" + "---|" * len(amb["by_sharing"]),
             "| settlements | " + " | ".join(f"{v:,}" for v in amb["by_sharing"].values()) + " |", "",
             "| set | n | right | region only | abstained | wrong |", "|---|---|---|---|---|---|"]
    sets = {**results["synthetic"], "kaznerd_villages": results["real_villages"]}
    for name, tally in sets.items():
        n = sum(tally.values())
        lines.append(f"| {name} | {n} | " + " | ".join(
            f"{tally[k] / n:.1%}" for k in ("right", "region_only", "abstained", "wrong")) + " |")
    lines += ["", "| KazNERD GPE | gold | right | wrong | precision | recall | F1 |",
              "|---|---|---|---|---|---|---|"]
    for task in ("region", "country"):
        r = results["kaznerd"][task]
        lines.append(f"| {task} | {r['gold']} | {r['right']} | {r['wrong']} | {r['precision']:.3f} | "
                     f"{r['recall']:.3f} | {r['f1']:.3f} |")
    fr = results["factru"]
    lines += ["", f"factRuEval: {fr['kazakhstan_units']} units of Kazakhstan found in {fr['documents']} "
                  f"Russian news documents {fr['examples']}."]
    if "speed" in results:
        sp = results["speed"]
        lines.append(f"Speed: {sp['us_per_document']:.0f} µs CPU per seed ({sp['mean_chars']:.0f} characters), "
                     f"{sp['us_per_3kb']:.0f} µs per 3 KB, tokenisation excluded.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--synthetic", type=int, default=300, help="villages in the synthetic set")
    parser.add_argument("--errors", type=int, default=0, help="print this many KazNERD errors")
    args = parser.parse_args(argv)
    results = evaluate(args.data, args.synthetic)
    print(markdown(results))
    for line in results["kaznerd"]["errors"][:args.errors]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
