"""The ethnic-group lexicon: its data files are complete, consistent and load once."""

from __future__ import annotations

import csv
import json
from importlib import resources

import pymorphy3
import pytest

from kelisim.ethnic import Lexicon, LexiconError
from kelisim.ethnic.lexicon import Category, EthnicGroup, Slur

if __package__:  # tests/ is a package
    from tests.shared_data import shared_path
else:
    from shared_data import shared_path

# Canonical ids that are masculine singular ethnonyms but do not parse as NOUN masc sing.
MORPHOLOGY_EXCEPTIONS = {
    "русский": "adjectival noun (ADJF, Subx)",
    "манси": "indeclinable, common gender (ms-f)",
    "чукча": "common gender (ms-f)",
    "кет": "missing from the pymorphy3 dictionary (parsed as a form of «кета»)",
}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load()


def test_at_least_100_groups(lexicon):
    assert len(lexicon) >= 100
    assert len(lexicon.groups()) == len(lexicon)


def test_group_ids_are_masculine_singular_nouns(lexicon):
    morph = pymorphy3.MorphAnalyzer()
    bad = []
    for group in lexicon.groups():
        assert group.id == group.noun_m_sg
        if group.id in MORPHOLOGY_EXCEPTIONS:
            continue
        head = group.noun_m_sg.split()[-1]  # крымский татарин, месхетинский турок
        if not any(p.tag.POS == "NOUN" and {"masc", "sing"} <= p.tag.grammemes and p.normal_form == head
                   for p in morph.parse(head)):
            bad.append(group.id)
    assert not bad


def test_exceptions_are_real_groups(lexicon):
    assert all(lexicon.group(id) for id in MORPHOLOGY_EXCEPTIONS)


def test_dunganin_row(lexicon):
    group = lexicon.group("дунганин")
    assert (group.noun_f_sg, group.noun_pl, group.adj) == ("дунганка", "дунгане", "дунганский")
    assert "дүнген" in group.kk
    assert {"дунганин", "дунганка", "дунгане", "дунганский"} <= lexicon.russian_forms("дунганин")


def test_key_groups_and_kazakh_forms(lexicon):
    expected = {"казах": "қазақ", "русский": "орыс", "узбек": "өзбек", "уйгур": "ұйғыр",
                "украинец": "украин", "немец": "неміс", "кореец": "кәріс", "чеченец": "шешен"}
    for id, kk in expected.items():
        assert kk in lexicon.group(id).kk
    assert lexicon.group("казах").kk_latin == ("qazaq",)


def test_rows_are_sorted_and_well_formed():
    data = resources.files("kelisim.ethnic.data")
    for name, key in (("groups.tsv", "id"), ("categories.tsv", "id"), ("slurs.tsv", "form")):
        rows = list(csv.DictReader(data.joinpath(name).read_text(encoding="utf-8").splitlines(),
                                   delimiter="\t", quoting=csv.QUOTE_NONE))
        keys = [row[key] for row in rows]
        assert keys == sorted(keys), name
        assert len(keys) == len(set(keys)), name


def test_categories(lexicon):
    kinds = {c.category for c in lexicon.categories()}
    assert kinds == {"collective", "social"}
    for id in ("русскоязычный", "кандас", "титульная нация", "коренное население", "некоренное население",
               "мигрант", "приезжий", "понаехавший", "национальное меньшинство", "этнос", "диаспора"):
        assert id in lexicon
    assert lexicon.category("понаехавший").slur
    assert "оралманы" in lexicon.russian_forms("кандас")


def test_every_slur_resolves(lexicon):
    assert len(lexicon.slurs()) >= 30
    for slur in lexicon.slurs():
        assert slur.refers_to in lexicon, slur
    by_form = {s.form: s.refers_to for s in lexicon.slurs()}
    assert by_form["хохол"] == "украинец" and by_form["жид"] == "еврей" and by_form["бульбаш"] == "беларус"


def _covered(lexicon: Lexicon) -> set[str]:
    """Every id, variant, category form and slur form in the lexicon."""
    names: set[str] = set()
    for group in lexicon.groups():
        names |= {group.id, *group.variants}
    for category in lexicon.categories():
        names |= {category.id, *category.forms}
    for slur in lexicon.slurs():
        names |= {slur.form, slur.refers_to}
    return names


def test_ruethnohate_groups_are_covered(lexicon):
    path = shared_path("data", "ruethnohate", "dev.jsonl")
    with path.open(encoding="utf-8") as lines:
        values = {json.loads(line)["ethnic_group"] for line in lines}
    assert len(values) > 100
    assert sorted(values - _covered(lexicon)) == []


def test_load_is_cached():
    assert Lexicon.load() is Lexicon.load()


def _group(id: str) -> EthnicGroup:
    return EthnicGroup(id, id, id + "ка", id + "ы", id + "ский", ("kk",), (), "ethnic", "")


def test_validation_rejects_duplicates_and_dangling_slurs():
    with pytest.raises(LexiconError, match="duplicate"):
        Lexicon([_group("грек"), _group("грек")], [], [])
    with pytest.raises(LexiconError, match="unknown id"):
        Lexicon([_group("грек")], [], [Slur("x", "нет такого", "")])
    with pytest.raises(LexiconError, match="both"):
        Lexicon([_group("грек")], [Category("грек", ("грек",), (), "collective", False, "")], [])
    assert len(Lexicon([_group("грек")], [], [Slur("x", "грек", "")])) == 1


def test_validation_rejects_empty_required_fields(monkeypatch):
    from kelisim.ethnic import lexicon as module

    class Fake:
        def joinpath(self, name):
            return self

        def read_text(self, encoding):
            return "form\trefers_to\tnote\n\tгрек\t\n"

    from kelisim import datafiles

    monkeypatch.setattr(datafiles.resources, "files", lambda package: Fake())
    with pytest.raises(LexiconError, match="empty required"):
        module._rows("slurs.tsv", module.SLUR_COLUMNS, module.SLUR_REQUIRED)
