"""Every entry's answers against the sources table (knowledge/sources.yaml).

Each phone number, e-mail address, web address, year and number an entry shows (its answer,
its title and its contact card in every language), and each county or person it names, must
be the value of a fact in the table, and the entry must cite that fact's source: the source
the fact sheet names for it. A web address may also be the site of a source the entry cites
("se sigdal.no"). Entries that give a `source:` of their own instead of `cites:` are checked
against the sources of the table with that address.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

import pytest

from bot.config import PROJECT_ROOT
from bot.knowledge import Entry, KnowledgeBase, SourceTable, load_knowledge

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WEB = re.compile(r"(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+(?:no|com|org|net)\b(?:/[^\s,)»]*)?)",
                  re.IGNORECASE)
_PHONE = re.compile(r"(?<![\d+])\d{2} ?\d{2} ?\d{2} ?\d{2}(?!\d)")
_NUMBER = re.compile(r"(?<!\d)\d{1,3}(?:[ ,\u00a0]\d{3})+(?!\d)|\d+")
NAMES = ("Buskerud", "Telemark", "Viken", "Sigdal", "Kari Anne Sand", "Gry Fuglestveit")
"""Names whose source matters as much as a number's: counties and people."""


def claims(text: str) -> set[str]:
    """What a text states that a source must back: e-mail addresses, web addresses, phone
    numbers, other numbers and years, and the NAMES it holds, each as kind:value."""
    found = set()
    for pattern, kind in ((_EMAIL, "e-mail"), (_WEB, "web"), (_PHONE, "phone")):
        for match in pattern.finditer(text):
            found.add(f"{kind}:{normal(kind, match.group(0))}")
        text = pattern.sub(" ", text)
    found |= {"number:" + normal("phone", match) for match in _NUMBER.findall(text)}
    found |= {f"name:{name}" for name in NAMES if name in text}
    return found


def normal(kind: str, value: str) -> str:
    """A claim written one way: digits only for numbers, web addresses without scheme, www.
    and closing slash or full stop, lower case."""
    if kind in ("phone", "number"):
        return re.sub(r"\D", "", value)
    value = value.lower().rstrip("./")
    return re.sub(r"^(https?://)?(www\.)?", "", value)


def shown_texts(entry: Entry) -> Iterable[str]:
    """Everything of an entry a user reads: title and answer in each language, contact card."""
    yield from entry.title.values()
    yield from entry.answer.values()
    if entry.contact:
        contact = entry.contact
        yield from (contact.phone, contact.email, contact.website, contact.address)


def cited_sources(entry: Entry, table: SourceTable) -> set[str]:
    """The keys of the sources an entry cites: its cited facts' sources, or for an entry with
    a `source:` of its own, the table's sources with that web address."""
    if entry.cites:
        return {source.key for source in entry.sources}
    return {key for key, source in table.sources.items()
            if source.url and normal("web", source.url) in normal("web", entry.source)}


def miscitations(entry: Entry, table: SourceTable) -> list[str]:
    """What the entry states that no fact of the table backs, or whose source it does not
    cite; empty when every claim is backed and cited."""
    cited = cited_sources(entry, table)
    backing: dict[str, list[set[str]]] = {}
    for fact in table.facts.values():
        for claim in claims(fact.value):
            backing.setdefault(claim, []).append(set(fact.sources))
    sites = {normal("web", source.url) for key, source in table.sources.items()
             if key in cited and source.url}
    sites |= {site.split("/")[0] for site in sites}
    problems = []
    for claim in sorted(set().union(*map(claims, shown_texts(entry)))):
        if claim.startswith("web:") and claim[4:] in sites:
            continue
        if claim not in backing:
            problems.append(f"{entry.id}: {claim} is no fact of the sources table")
        elif not any(sources & cited for sources in backing[claim]):
            named = sorted(set().union(*backing[claim]))
            problems.append(f"{entry.id}: {claim} is cited from {sorted(cited) or 'nothing'}, "
                            f"but the fact sheet reads it in {named}")
    return problems


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    return load_knowledge(PROJECT_ROOT / "knowledge")


def test_every_claim_of_every_entry_is_a_cited_fact(knowledge: KnowledgeBase) -> None:
    problems = [problem for entry in knowledge.entries.values()
                for problem in miscitations(entry, knowledge.sources)]
    assert not problems, "\n".join(problems)


def test_every_entry_cites_the_sources_table(knowledge: KnowledgeBase) -> None:
    own_source = [entry.id for entry in knowledge.entries.values() if not entry.cites
                  and entry.source]
    assert not own_source, f"entries with a source of their own, not cited facts: {own_source}"


# The mis-citations issue 10 found, as the entries had them: each must be caught.
OLD_CITATIONS = {
    "contact.rollag": "https://www.rollag.kommune.no",
    "municipality.rollag": "https://www.rollag.kommune.no",
    "contact.hjartdal": "https://www.hjartdal.kommune.no",
    "municipality.hjartdal": "https://snl.no/Hjartdal",
    "municipality.notodden": "https://snl.no/Notodden",
    "council.members": "https://www.notodden.kommune.no/Organisasjon/Planer/Gjeldende-planer/"
                       "Strategiplan-for-Kongsbergregion-samarbeidet/",
    "council.sustainability": "https://www.notodden.kommune.no/Organisasjon/Planer/"
                              "Gjeldende-planer/Strategiplan-for-Kongsbergregion-samarbeidet/",
    "council.focus_areas": "https://www.notodden.kommune.no/Organisasjon/Planer/"
                           "Gjeldende-planer/Strategiplan-for-Kongsbergregion-samarbeidet/",
    "emergency.overview": "https://www.nkom.no/telefoni-og-telefonnummer/"
                          "nodnummer-nodanrop-og-lokalisering",
    "emergency.police": "https://www.nkom.no/telefoni-og-telefonnummer/"
                        "nodnummer-nodanrop-og-lokalisering",
    "emergency.ambulance": "https://www.nkom.no/telefoni-og-telefonnummer/"
                           "nodnummer-nodanrop-og-lokalisering",
}


@pytest.mark.parametrize("entry_id", sorted(OLD_CITATIONS))
def test_the_old_mis_citations_are_caught(knowledge: KnowledgeBase, entry_id: str) -> None:
    entry = knowledge.entries[entry_id]
    as_before = dataclasses.replace(entry, cites=(), sources=(),
                                    source=OLD_CITATIONS[entry_id])
    assert miscitations(as_before, knowledge.sources)


def test_a_number_the_table_does_not_hold_is_caught(knowledge: KnowledgeBase) -> None:
    entry = knowledge.entries["contact.notodden"]
    invented = dataclasses.replace(entry, answer={
        "nb": entry.answer["nb"].replace("35 01 50 00", "35 01 50 01"), "en": "x"})
    assert miscitations(invented, knowledge.sources) == [
        "contact.notodden: phone:35015001 is no fact of the sources table"]


def test_claims_are_read_as_people_write_them() -> None:
    text = ("Ring 35 01 50 00 eller 116 117; 28 793 (2023), 28,793; www.tinn.kommune.no. "
            "Se https://snl.no/Tinn/ eller post@noreoguvdal.kommune.no, i 2020–2023 Viken.")
    assert claims(text) == {
        "phone:35015000", "number:116117", "number:28793", "number:2023", "number:2020",
        "web:tinn.kommune.no", "web:snl.no/tinn", "e-mail:post@noreoguvdal.kommune.no",
        "name:Viken",
    }
