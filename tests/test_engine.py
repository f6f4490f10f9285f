"""Tests for bot/engine.py: the three outcomes, municipalities, emergencies, reload, odd input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import PROJECT_ROOT, MatchingConfig
from bot.engine import (
    Engine,
    Outcome,
    Result,
    emergency_focus,
    punctuated,
    question_parts,
    sentence_windows,
    without_relayer,
    without_sign_off,
)
from bot.matcher import Scored

KNOWLEDGE = PROJECT_ROOT / "knowledge"
MUNICIPALITIES = ("kongsberg", "notodden", "rollag", "nore_og_uvdal", "flesberg", "hjartdal",
                  "tinn")


@pytest.fixture(scope="module")
def engine() -> Engine:
    """The engine on the shipped knowledge base with the default thresholds."""
    return Engine.from_directory(KNOWLEDGE, MatchingConfig())


def answered_entries(result: Result) -> list[str]:
    """The entries a result answers with, the first and then each further part's."""
    assert result.entry is not None
    return [result.entry.id, *(part.entry.id for part in result.also)]


def answered(engine: Engine, question: str) -> str | None:
    result = engine.ask(question)
    return result.entry.id if result.outcome is Outcome.ANSWERED and result.entry else None


def emergency_entry(engine: Engine, question: str) -> str | None:
    """The emergency entry a message reaches: through the safety layer's reply of that kind,
    or through the matcher (questions about the numbers)."""
    result = engine.ask(question)
    if result.is_safety_reply and result.safety is not None:
        return result.safety.main.entry
    return answered(engine, question)


def test_a_clear_question_is_answered(engine: Engine) -> None:
    result = engine.ask("Når ble regionrådet stiftet?")
    assert result.outcome is Outcome.ANSWERED
    assert result.entry is not None and result.entry.id == "council.founded"
    assert result.score == 100.0
    assert result.suggestions == ()


def test_an_ambiguous_question_gets_suggestions(engine: Engine) -> None:
    result = engine.ask("kongsberg notodden")
    assert result.outcome is Outcome.SUGGESTED
    assert result.entry is None
    ids = {candidate.entry.id for candidate in result.suggestions}
    assert {"municipality.kongsberg", "municipality.notodden"} <= ids
    assert 1 <= len(result.suggestions) <= engine.matching.max_suggestions


@pytest.mark.parametrize(
    "question", ["xyzzy plugh", "Hva blir været i morgen?", "hvem vant eurovision i år", ""]
)
def test_an_unknown_question_is_unanswered(engine: Engine, question: str) -> None:
    result = engine.ask(question)
    assert result.outcome is Outcome.UNANSWERED
    assert result.entry is None and result.suggestions == ()


def test_tlf_notodden_is_notoddens_contact(engine: Engine) -> None:
    result = engine.ask("tlf notodden")
    assert answered(engine, "tlf notodden") == "contact.notodden"
    assert result.municipality == "notodden"


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [("Tinn", "municipality.tinn"), ("Notodden kommune", "municipality.notodden"),
     ("Rjukan", "municipality.tinn"), ("nore og uvdal", "municipality.nore_og_uvdal")],
)
def test_a_bare_municipality_name_is_its_card(
    engine: Engine, question: str, entry_id: str
) -> None:
    assert answered(engine, question) == entry_id


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [("hvordan får jeg tak i Flesberg kommune", "contact.flesberg"),
     ("koss får æ tak i dokker", "contact.council"),
     ("hva er nødtelefonene", "emergency.overview"),
     ("FNs bærekraftsmål", "council.strategy_2019_2030"),
     ("Kva er føremålet med regionrådet?", "council.purpose"),
     ("What is the phone number of Hjartdal municipality?", "contact.hjartdal")],
)
def test_phrasings_people_use_reach_their_entry(
    engine: Engine, question: str, entry_id: str
) -> None:
    assert answered(engine, question) == entry_id


@pytest.mark.parametrize("municipality", MUNICIPALITIES)
def test_a_message_naming_one_municipality_never_gets_anothers_entry(
    engine: Engine, municipality: str
) -> None:
    name = municipality.replace("_", " ")
    for question in (f"tlf {name}", f"hva er adressen til {name} kommune",
                     f"fortell om {name}", f"hvor mange bor i {name}"):
        ranking = engine.rank(question)
        assert ranking.municipality == municipality
        for candidate in ranking.candidates:
            assert candidate.entry.municipality in (None, municipality), (question, candidate)


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [("det brenner", "emergency.fire"), ("brann i kjøkkenet!", "emergency.fire"),
     ("ring ambulanse", "emergency.ambulance"), ("han er bevisstløs", "emergency.ambulance"),
     ("politiet", "emergency.police"), ("innbrudd i garasjen i natt", "emergency.police"),
     ("legevakt", "emergency.legevakt"), ("nummer til legevakta i helga", "emergency.legevakt"),
     ("There is a fire in my house", "emergency.fire"), ("call the police", "emergency.police"),
     ("nødnummer for døve", "emergency.hearing")],
)
def test_emergencies_are_answered(engine: Engine, question: str, entry_id: str) -> None:
    assert emergency_entry(engine, question) == entry_id


@pytest.mark.parametrize(
    "question",
    ["brann, politi og ambulanse: hvilke nummer gjelder", "det brenner og noen er skadet",
     "blablabla brann blablabla xyzzy", "Kongsberg politi", "ambulanse Notodden takk"],
)
def test_a_message_with_an_emergency_keyword_is_never_unanswered(
    engine: Engine, question: str
) -> None:
    result = engine.ask(question)
    assert result.is_safety_reply or (
        result.outcome is Outcome.ANSWERED
        and result.entry is not None and result.entry.kind == "emergency"
    )


def test_several_emergencies_named_together_get_the_overview(engine: Engine) -> None:
    question = "nummer til brann, politi og ambulanse"
    assert emergency_entry(engine, question) == "emergency.overview"
    assert all(number in engine.ask(question).safety.text() for number in ("110", "112", "113"))


def test_emergency_focus_prefers_one_specific_emergency() -> None:
    scores = {"emergency.overview": Scored("emergency.overview", 60.0, "")}
    everything = frozenset({"emergency.overview", "emergency.fire", "emergency.police"})
    assert emergency_focus({"emergency.overview", "emergency.fire"}, scores, everything) == (
        "emergency.fire"
    )
    assert emergency_focus({"emergency.fire", "emergency.police"}, scores, everything) == (
        "emergency.overview"
    )
    assert emergency_focus(set(), scores, everything) is None


@pytest.mark.parametrize(
    "question",
    ["de fire kommunene i Buskerud", "hvilke fire kommuner ligger i Buskerud",
     "søknad om barnehageplass", "Hvordan søker jeg skjenkebevilling?"],
)
def test_no_false_emergencies(engine: Engine, question: str) -> None:
    result = engine.ask(question)
    assert not result.is_safety_reply, result
    assert not (result.outcome is Outcome.ANSWERED and result.entry
                and result.entry.kind == "emergency"), result


def test_a_long_message_is_answered_from_its_question_sentence(engine: Engine) -> None:
    message = (
        "Hei! Vi flyttet til Flesberg i fjor og har fått en regning vi ikke forstår. "
        "Men det jeg egentlig lurer på: hva er telefonnummeret til Flesberg kommune? "
        "Takk for hjelpen."
    )
    assert answered(engine, message) == "contact.flesberg"
    assert len(sentence_windows(message)) == 4
    assert sentence_windows("Brann! Hva ringer jeg?") == []


def test_search_returns_entries_from_the_suggestion_threshold(engine: Engine) -> None:
    found = engine.search("telefon", limit=5)
    assert 1 <= len(found) <= 5
    assert all(candidate.score >= engine.matching.suggest_threshold for candidate in found)


def test_municipalities_named_finds_misspelt_names_in_order(engine: Engine) -> None:
    assert engine.municipalities_named("Kongsbreg og Notoden") == ["kongsberg", "notodden"]
    assert engine.municipalities_named("Kongsbergregionen") == []


def test_reload_keeps_the_old_knowledge_on_a_broken_file(tmp_path: Path) -> None:
    directory = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, directory)
    engine = Engine.from_directory(directory, MatchingConfig())
    before = engine.knowledge
    council = directory / "council.yaml"
    council.write_text(council.read_text(encoding="utf-8").replace(
        "  - id: council.founded\n", "  - id: council.about\n", 1), encoding="utf-8")
    problems = engine.reload()
    assert problems and any(problem.file.endswith("council.yaml") for problem in problems)
    assert engine.knowledge is before
    assert answered(engine, "når ble regionrådet stiftet") == "council.founded"
    shutil.copy(KNOWLEDGE / "council.yaml", council)
    assert engine.reload(directory) == []
    assert engine.knowledge is not before


ODD_INPUT = [
    "", " ", "\n\n", "\x00\x1b\x7f", "😀🚒🔥", "🔥" * 500, "?" * 50, "1234567890",
    "a" * 10_000, "ab " * 3000, "Hva\rer\ttlf?", "\u202eNotodden\u202c", "ﬁre ﬂesberg",
    "ǅ ẞ İ ı", "Ḱ̷̛̞o̴n̵g̶s̷b̶e̷r̵g̷", "..." * 100, "hei. " * 400,
]


@pytest.mark.parametrize("question", ODD_INPUT)
def test_odd_input_never_raises(engine: Engine, question: str) -> None:
    result = engine.ask(question)
    assert result.outcome in Outcome
    assert result.question == question
    engine.search(question)
    engine.municipalities_named(question)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_an_outcome(question: str) -> None:
    engine = _shared_engine()
    result = engine.ask(question)
    assert result.outcome in Outcome
    assert 0.0 <= result.score <= 100.0


_ENGINE: list[Engine] = []


def _shared_engine() -> Engine:
    if not _ENGINE:
        _ENGINE.append(Engine.from_directory(KNOWLEDGE, MatchingConfig()))
    return _ENGINE[0]


def test_the_language_is_read_before_phrases_are_joined(engine: Engine) -> None:
    # "kva kommunar" is also a phrase for the members entry; its nynorsk words still count.
    assert engine.ask("Kva kommunar er med?").language == "nn"
    assert engine.ask("Hvilke kommuner er med?").language == "nb"


def test_a_courtesy_does_not_answer_a_message_that_asks_something_else(engine: Engine) -> None:
    result = engine.ask(
        "God dag. Jeg følger godt med på fylkespolitikken etter at Viken ble oppløst. "
        "Arrangøren av et jubileum lurer på hvem som er fylkesordfører i Buskerud i dag. "
        "Kan du hjelpe? Vennlig hilsen Olav"
    )
    assert result.outcome is not Outcome.ANSWERED
    assert result.best is None or result.best.entry.kind not in ("smalltalk", "emergency")


def test_thanks_in_a_long_message_are_still_thanks(engine: Engine) -> None:
    result = engine.ask("Tusen takk for svarene i dag, det var akkurat det jeg trengte. "
                        "Ha en fin kveld videre! Hilsen Per Arne")
    assert result.outcome is Outcome.ANSWERED and result.best.entry.kind == "smalltalk"


def test_a_place_outside_the_region_in_the_question_is_doubted(engine: Engine) -> None:
    result = engine.ask("hvem sitter i regionrådet for Hallingdal?")
    assert result.outcome is not Outcome.ANSWERED


def test_places_in_a_long_message_s_background_do_not_doubt_its_question(
    engine: Engine
) -> None:
    message = (
        "Dear sir or madam, I am a local councillor from a small municipality in Sweden, and "
        "our council is planning a study trip to Norway next spring. Could you tell me which "
        "municipalities take part in the cooperation? Kind regards, Erik")
    result = engine.ask(message)
    assert result.outcome is Outcome.ANSWERED and result.best is not None
    assert result.best.entry.id == "council.members"


def test_who_to_call_about_a_theft_is_no_question_about_a_municipality_s_phone(
    engine: Engine
) -> None:
    result = engine.ask("Someone stole my bike outside the station in Kongsberg. Not urgent, "
                        "but who do I call?")
    assert result.fact is None and result.best is not None
    assert result.best.entry.id == "emergency.police"


def test_a_question_splits_into_parts_only_before_a_question_word() -> None:
    assert question_parts("Når vart regionrådet skipa, og kva er føremålet?") == [
        "Når vart regionrådet skipa", "kva er føremålet?"]
    assert question_parts("hvem er leder og når ble det stiftet") == [
        "hvem er leder", "når ble det stiftet"]
    assert question_parts("Hva er telefonnummeret til Rollag og Flesberg?") == [
        "Hva er telefonnummeret til Rollag og Flesberg?"]


def test_a_message_that_asks_two_things_gets_both_answers(engine: Engine) -> None:
    result = engine.ask("Hei! Vi har samfunnsfag. Når ble regionrådet stiftet, og hvilke "
                        "kommuner er med?")
    assert result.outcome is Outcome.ANSWERED and result.entry is not None
    assert answered_entries(result) == [
        "council.founded", "council.members"]


def test_a_part_that_is_not_understood_leaves_the_message_as_one_question(
    engine: Engine
) -> None:
    result = engine.ask("Når ble regionrådet stiftet, og hvem tegnet logoen?")
    assert result.also == ()


def test_thanks_and_a_name_at_the_end_are_a_sign_off_not_a_word_of_the_question(
    engine: Engine,
) -> None:
    result = engine.ask("Who is the daily manager of the council, and what is its legal form? "
                        "Thanks, Dan")
    assert result.outcome is not Outcome.ANSWERED or result.entry is None or (
        result.entry.kind != "emergency")
    assert without_sign_off("Hva er det? Takk for hjelpen, Sara") == "Hva er det?"
    assert without_sign_off("Takk, Kari") == "Takk, Kari"


def test_a_short_question_that_points_back_asks_what_the_sentence_before_it_says(
    engine: Engine,
) -> None:
    result = engine.ask("Eg skriv eit lesarinnlegg. Eg vil gjerne få med kva som er føremålet "
                        "med samarbeidet og om berekraft er ein del av grunnlaget. Kan du "
                        "hjelpe meg med det?")
    assert result.entry is not None
    assert set(answered_entries(result)) == {
        "council.purpose", "council.sustainability"}


@pytest.mark.parametrize(("message", "entry_id"), [
    ("Hei igjen! Jeg skrev til deg i går om nettsidene til kommunene, og det funket "
     "kjempebra, så jeg ville bare si tusen takk. Ha en fin dag videre! Hilsen Randi", None),
    # learnt from round 68: "… nå vet jeg hvor jeg skal henvende meg" asks nothing
    ("Tusen takk for all hjelpen i dag! Du har spart meg for mange telefoner, og nå vet jeg "
     "hvor jeg skal henvende meg. Det var alt jeg lurte på for denne gang. Ha en riktig fin "
     "helg! Hilsen Gunvor", "smalltalk.thanks"),
])
def test_a_long_message_of_thanks_that_asks_nothing_is_thanked(
        engine: Engine, message: str, entry_id: str | None) -> None:
    result = engine.ask(message)
    assert result.outcome is Outcome.ANSWERED and result.entry is not None
    assert result.entry.kind == "smalltalk"
    assert entry_id is None or result.entry.id == entry_id


def test_thanks_after_a_question_without_a_question_mark_do_not_answer_it(
    engine: Engine,
) -> None:
    result = engine.ask("Hei! Eg heiter Solveig og er nyinnflytta til Sauland. Eg skal melde "
                        "meg som ny innbyggjar og lurer på kvar kommunehuset ligg. Takk for "
                        "svar! Helsing Solveig")
    assert result.entry is None or result.entry.kind != "smalltalk"


def test_a_fact_asked_about_a_place_outside_the_region_is_not_answered_with_its_entry(
    engine: Engine,
) -> None:
    """council.sigdal is about Sigdal, but not Sigdal's phone number."""
    result = engine.ask("Hei! Vi bor i Sigdal og har hørt at kommunen skal inn i "
                        "Kongsbergregionen. Men nå trenger jeg bare telefonnummeret til Sigdal "
                        "kommune for å spørre om en byggesøknad. Har du det?")
    assert result.outcome is not Outcome.ANSWERED


def test_small_talk_against_small_talk_is_answered_with_the_surer(engine: Engine) -> None:
    """"Kva kan du svare på?" shares "svar" with "takk for svaret"; a choice between
    two kinds of small talk helps nobody."""
    result = engine.ask("Hei, kva kan du svare på?")
    assert result.outcome is Outcome.ANSWERED and result.entry is not None
    assert result.entry.id == "smalltalk.capabilities"


def test_a_question_in_parts_about_another_regional_council_is_not_answered(
    engine: Engine,
) -> None:
    result = engine.ask("Kven er med i Vest-Telemarkrådet, og når vart det skipa?")
    assert result.outcome is not Outcome.ANSWERED and result.also == ()


def test_a_part_may_begin_with_a_preposition_before_its_question_word() -> None:
    assert question_parts("Could you explain who the members of the council are and for how "
                          "long the leader is elected?") == [
        "Could you explain who the members of the council are",
        "for how long the leader is elected?"]


def test_a_part_torn_between_its_best_and_another_parts_answer_is_answered(
    engine: Engine,
) -> None:
    result = engine.ask("Good afternoon. I'm writing a piece on Norwegian regional cooperation. "
                        "Could you tell me when the Kongsberg Regional Council was formally "
                        "established and what its stated purpose is? Kind regards, Mark")
    assert result.entry is not None
    assert answered_entries(result) == [
        "council.founded", "council.purpose"]


def test_a_part_certain_on_its_own_is_answered_after_a_long_introduction(
    engine: Engine,
) -> None:
    result = engine.ask("Hei! Jeg er ny i jobben som rådgiver i en kommune utenfor regionen og "
                        "vil lære mer om dere. Kan du kort forklare hva Regionrådet for "
                        "Kongsbergregionen er, og hvem som er medlemmer av selve rådet? "
                        "Beste hilsen Hege")
    assert result.entry is not None and result.entry.id == "council.about"
    assert [part.entry.id for part in result.also] == ["council.organisation"]


def test_a_part_about_sigdal_is_answered_with_what_the_council_says_about_sigdal(
    engine: Engine,
) -> None:
    result = engine.ask("Jeg trenger en rask oversikt: hvilke kommuner er i dag medlemmer i "
                        "Kongsbergregionen, og stemmer det at Sigdal har vedtatt å bli med?")
    assert result.entry is not None
    assert answered_entries(result) == [
        "council.members", "council.sigdal"]


def test_why_begins_a_part_of_a_question() -> None:
    assert question_parts("Når ble Regionrådet startet, og hvorfor samarbeider kommunene?") == [
        "Når ble Regionrådet startet", "hvorfor samarbeider kommunene?"]


def test_two_parts_answered_by_one_entry_get_that_entry(engine: Engine) -> None:
    result = engine.ask("Jeg har lest litt på nettet, men synes det er uklart hvem som faktisk "
                        "sitter i rådet og hvordan ledelsen velges. Kan du forklare det kort?")
    assert result.outcome is Outcome.ANSWERED and result.entry is not None
    assert result.entry.id == "council.organisation" and result.also == ()


def test_the_councils_members_asked_as_mayors_are_its_members(engine: Engine) -> None:
    result = engine.ask("hvem er medlemer av regionrådet, er det ordførerne?")
    assert result.fact is None


def test_a_misspelt_long_stop_word_and_a_filler_compound_tail_weigh_nothing() -> None:
    """"hvordn" is "hvordan" with a letter left out; "regionrådsgreia" is the council, its
    "greia" filler that must not pull the answer to small talk."""
    engine = Engine.from_directory(PROJECT_ROOT / "knowledge", MatchingConfig())
    greeting = engine.ask("hei hvordn går det")
    assert greeting.best is not None and greeting.best.entry.id == "smalltalk.greeting"
    council = engine.ask("hei, hvem er egentlig med i den regionrådsgreia? bare kongsberg og "
                         "notodden eller flere")
    assert council.best is not None and council.best.entry.kind != "smalltalk"
    idea = engine.ask("Æ ha itj peiling på ka regionrådet gjer, kan du forklar?")
    assert idea.best is not None and idea.best.entry.id == "council.about"


def test_the_part_of_a_sentence_that_asks_is_scored_on_its_own(engine: Engine) -> None:
    """Who asks and why, before "vil gjerne vite" or a colon, does not drown the question."""
    other = engine.ask(
        "Hei! På første møte ble det nevnt at regionrådet har næringsutvikling som et av sine "
        "satsingsområder, og jeg vil gjerne vite hvilke andre satsingsområder rådet har jobbet "
        "med. Takk på forhånd. Hilsen Tor")
    assert other.outcome is Outcome.ANSWERED and other.best.entry.id == "council.focus_areas"
    colon = engine.ask(
        "Hei, jeg sitter i kommunestyret i Flesberg. Jeg har fått en bunke dokumenter, men ønsker "
        "en rask oversikt: hvilke satsingsområder hadde strategiplanen for "
        "Kongsbergregion-samarbeidet? Mvh Kari")
    assert colon.outcome is Outcome.ANSWERED and colon.best.entry.id == "council.focus_areas"


def test_a_sign_off_without_punctuation_is_cut(engine: Engine) -> None:
    assert without_sign_off("HVA ER NUMMERET TIL KOMMUNEN HILSEN ASLAUG") == (
        "HVA ER NUMMERET TIL KOMMUNEN")
    assert without_sign_off("kan du sende en hilsen til Tinn kommune") == (
        "kan du sende en hilsen til Tinn kommune")


def test_a_long_message_without_punctuation_is_read_as_background_and_question(
    engine: Engine,
) -> None:
    assert punctuated(
        "hey hi im a trucker from lithuania delivering to flesberg kommune tomorrow and the "
        "papers only say adm senter what is the name of the place where the kommune office is "
        "thanks a lot") == (
        "hey hi im a trucker from lithuania delivering to flesberg kommune tomorrow and the "
        "papers only say adm senter. what is the name of the place where the kommune office is?")
    assert punctuated("Hva er telefonnummeret til Tinn?") == "Hva er telefonnummeret til Tinn?"
    result = engine.ask(
        "HEI JEG ER 78 ÅR OG BOR PÅ NOTODDEN BARNEBARNET SIER VI IKKE ER I VESTFOLD OG TELEMARK "
        "LENGER STEMMER DET HVILKET FYLKE ER VI I NÅ TAKK FRA GUNVOR")
    assert result.outcome is Outcome.ANSWERED and result.fact is not None
    assert "Telemark" in result.fact.text


def test_a_long_message_asking_only_what_the_bot_can_do_gets_small_talk(engine: Engine) -> None:
    result = engine.ask(
        "Hei! Eg heiter Sigrun og er ny på servicekontoret. Eg skal skrive ein liten rettleiar "
        "til kollegaene mine i dag om kva denne chatten kan brukast til. Kva kan du hjelpe med? "
        "Takk, Sigrun")
    assert result.outcome is Outcome.ANSWERED
    assert result.best.entry.id == "smalltalk.capabilities"
    pointing = engine.ask("Hei. Jeg bor i Sigdal og trenger telefonnummeret til Sigdal kommune. "
                          "Kan du hjelpe meg med det? Hilsen Ragnhild")
    assert pointing.best is None or pointing.best.entry.kind != "smalltalk"


@pytest.mark.parametrize(("question", "line"), [
    ("Hva er administrasjonssenteret i Nore og Uvdal? Nei vent, jeg mente Flesberg.",
     "Administrasjonssenteret i Flesberg kommune er Lampeland."),
    ("What's the admin centre of Flesberg? Sorry, I meant Nore og Uvdal, not Flesberg.",
     "The administrative centre of Nore og Uvdal municipality is Rødberg."),
])
def test_a_corrected_municipality_is_the_one_asked_about(
    engine: Engine, question: str, line: str
) -> None:
    result = engine.ask(question)
    assert result.fact is not None and result.fact.text.splitlines()[0] == line


@pytest.mark.parametrize(
    "message",
    ["Hello, I'm Jack, an exchange student staying with a host family in Kongsberg. I just "
     "wanted to say thank you, your answers yesterday helped me a lot with my school "
     "presentation. Have a great weekend! Jack",
     "Ærede mottaker. Undertegnede ønsker herved å uttrykke sin oppriktige takk for den hjelp "
     "jeg fikk forrige uke. Det er ikke ofte man får så raskt svar. Med vennlig hilsen og "
     "ønske om en god sommer, Eldbjørg",
     "Takk for svarene i sted, det var akkurat det jeg trengte til møtet i kveld. Ha en "
     "fortsatt fin dag videre! Hilsen Arne, kommunestyremedlem"],
)
def test_a_long_thank_you_that_asks_nothing_is_answered_as_thanks(
    engine: Engine, message: str
) -> None:
    """Learnt from rounds 51, 52 and 72: no sentence of these is small talk on its own; the
    thanks may open the message, before other courtesies."""
    assert answered(engine, message) == "smalltalk.thanks"


@pytest.mark.parametrize(
    ("message", "entry"),
    [("Hvilken periode gjelder den nye strategien for Kongsbergregionen? Sjefen min spør.",
      "council.strategy_2019_2030"),
     ("hvilke kommuner er med i Kongsbergregionen? svigerfar spor", "council.members"),
     ("A journalist friend of mine asks which municipalities are members of the Kongsberg "
      "region council. Could you list them?", "council.members")],
)
def test_a_question_passed_on_for_someone_else_is_read_without_who_asks(
    engine: Engine, message: str, entry: str
) -> None:
    """Learnt from round 53: "… ? sjefen min lurer", "My colleague asks whether …"."""
    assert answered(engine, message) == entry


def test_which_one_is_no_goodbye(engine: Engine) -> None:
    """Learnt from round 54: "one" stood only in "have a good one", so "Which one, and
    when?" was answered with goodbye."""
    result = engine.ask(
        "I heard a municipality voted to join the Kongsberg region. Which one, and when?")
    assert result.best is not None and result.best.entry.id == "council.sigdal"
    assert answered(engine, "Ok bye for now, have a good one") == "smalltalk.goodbye"


def test_whom_a_question_is_passed_on_for_is_left_out(engine: Engine) -> None:
    """Learnt from round 53: "My Ukrainian neighbour needs the postal address of …"."""
    assert without_relayer("My Ukrainian neighbour needs the postal address of Rollag kommune."
                           ) == "the postal address of Rollag kommune."
    assert without_relayer("Hei. Min kollega trenger nummeret til Tinn.") == (
        "Hei. nummeret til Tinn.")
    assert without_relayer("My question: who?") == "My question: who?"
    result = engine.ask("My Ukrainian neighbour needs the postal address of Rollag kommune.")
    assert result.outcome is Outcome.ANSWERED and result.fact is not None


def test_a_greeting_before_a_request_is_no_small_talk(engine: Engine) -> None:
    """Learnt from round 58: "Hei! … vi trenger telefonnummeret til teknisk etat i Sigdal
    kommune …" wants a number (one the bot does not have), not a greeting back."""
    result = engine.ask("Hei! Jeg er leder i velforeningen vår i Sigdal, og vi trenger "
                        "telefonnummeret til teknisk etat i Sigdal kommune om en vannlekkasje "
                        "i veien. Mvh Arne")
    assert result.outcome is not Outcome.ANSWERED or result.best.entry.kind != "smalltalk"
    assert answered(engine, "Tusen takk for raske og gode svar i dag! Nå har jeg det jeg "
                            "trenger, og du får ha en fin dag videre. Hilsen Gunn"
                    ) in ("smalltalk.thanks", "smalltalk.goodbye")


def test_what_are_they_asks_the_sentence_before_it(engine: Engine) -> None:
    """Learnt from round 57: "… your regional council has a strategy with certain focus
    areas. What are they?" was answered with who the bot is."""
    result = engine.ask("Good afternoon. I run a small tourism company. I understand your "
                        "regional council has a strategy with certain focus areas. What are "
                        "they? Best regards, Sarah")
    assert result.best is not None and result.best.entry.id == "council.focus_areas"
    assert answered(engine, "What are you?") == "smalltalk.identity"


def test_a_member_in_the_background_does_not_make_another_council_ours(engine: Engine) -> None:
    """Learnt from round 58: a representative from Flesberg asking who leads the regional
    council in Hallingdal got how our council is organised."""
    result = engine.ask("God kveld. Jeg er kommunestyrerepresentant i Flesberg og skal på et "
                        "seminar med folk fra flere regionråd. Hvem leder regionrådet i "
                        "Hallingdal for tiden, og hvilke kommuner er med der? Hilsen Bjørn")
    assert result.outcome is not Outcome.ANSWERED


@pytest.mark.parametrize(
    "message", ["Thanks, that was really helpful!", "Cheers, much appreciated!"])
def test_a_one_sentence_thank_you_is_answered(engine: Engine, message: str) -> None:
    """Learnt from round 59."""
    assert answered(engine, message) == "smalltalk.thanks"


@pytest.mark.parametrize(
    "message", ["resept på lapskaus takk", "Translate 'thank you' into Norwegian please"])
def test_a_request_that_says_please_or_quotes_thanks_is_no_thank_you(
    engine: Engine, message: str
) -> None:
    assert answered(engine, message) is None


def test_two_questions_after_a_colon_are_both_answered(engine: Engine) -> None:
    """Learnt from round 60: background before a colon hid the first of two parts."""
    result = engine.ask("Hei. Eg sit i kommunestyret i Hjartdal. Eg vil gjerne ha det "
                        "grunnleggjande på plass: når vart regionrådet skipa, og kva er "
                        "føremålet med samarbeidet? Helsing Olav")
    assert result.outcome is Outcome.ANSWERED
    assert set(answered_entries(result)) == {"council.founded", "council.purpose"}


def test_norway_is_no_place_outside_the_region(engine: Engine) -> None:
    """"Hva er nødnumrene i Norge?" was only suggested: Norway was doubted as elsewhere."""
    assert answered(engine, "Hva er nødnumrene i Norge?") == "emergency.overview"


def test_a_part_that_only_asks_to_confirm_does_not_decide(engine: Engine) -> None:
    """Learnt from round 64: "Stemmer det, og hvilken periode gjelder den for?" asks for the
    period of what the sentence before said; "Stemmer det" alone had been answered with the
    members."""
    result = engine.ask(
        "Jeg har hørt at Kongsbergregionen har en ny strategi som bygger på FNs bærekraftsmål. "
        "Stemmer det, og hvilken periode gjelder den for? Mvh Hanne")
    assert result.outcome is Outcome.ANSWERED
    assert result.entry is not None and result.entry.id == "council.strategy_2019_2030"


def test_it_is_urgent_is_no_police_matter(engine: Engine) -> None:
    """Learnt from round 64: "Det haster litt." closing an errand had got the police."""
    result = engine.ask("Kan du gi meg e-postadressene til kommunene? Det haster litt.")
    assert result.entry is None or not result.entry.id.startswith("emergency.")


def test_a_question_that_only_points_back_is_read_with_the_sentence_before(
        engine: Engine) -> None:
    """Learnt from round 66: "… hvor mye skatt jeg må betale … Kan du forklare?" asks about
    tax (not ours), not what the bot can do; "… Sigdal har meldt seg inn. Stemmer det?" asks
    about Sigdal."""
    tax = engine.ask("Jeg lurer på hvor mye skatt jeg må betale av sommerjobben. Jeg har prøvd "
                     "å lese på nettsidene men forstår ikke helt. Kan du forklare? Takk, Emil")
    assert tax.entry is None or tax.entry.kind != "smalltalk"
    sigdal = engine.ask("Eg las i avisa at Sigdal har meldt seg inn. Stemmer det?")
    assert sigdal.outcome is Outcome.ANSWERED and sigdal.entry is not None
    assert sigdal.entry.id == "council.sigdal"


def test_two_questions_joined_by_a_comma_are_each_answered(engine: Engine) -> None:
    """Learnt from round 75: "…, hva satser de på?" is a second question, not background."""
    for message in ("hva er det regionrådet egentlig driver med, hva satser de på?",
                    "ka e det dei driv med i regionrådet, ka satse dei på?"):
        result = engine.ask(message)
        entries = [result.entry.id, *(c.entry.id for c in result.also)] if result.entry else []
        assert "council.focus_areas" in entries, message
    assert engine.ask("Hei, hva er adressen til Tinn kommune?").also == ()


@pytest.mark.parametrize(("message", "entry"), [
    ("når vart regionrådet laga, veit du det?", "council.founded"),
    ("Which village is the municipal seat of Flesberg?", "municipality.flesberg"),
])
def test_learnt_from_round_75(engine: Engine, message: str, entry: str) -> None:
    assert answered(engine, message) == entry
