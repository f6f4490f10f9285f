"""Tests for bot/facts.py: precise answers about the member municipalities, lists for all
seven, what is not known, places that are not members, coverage, and facts.yaml's validation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, MatchingConfig
from bot.engine import Engine, Outcome
from bot.knowledge import KnowledgeError, load_knowledge
from bot.render import result_plain

KNOWLEDGE = PROJECT_ROOT / "knowledge"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_directory(KNOWLEDGE, MatchingConfig())


def first_line(engine: Engine, question: str) -> str:
    return result_plain(engine.ask(question), engine.knowledge).splitlines()[0]


@pytest.mark.parametrize(
    ("question", "line"),
    [("adm senter flesberg", "Administrasjonssenteret i Flesberg kommune er Lampeland."),
     ("tlf notodden", "Notodden kommune har telefon 35 01 50 00."),
     ("hvilket fylke ligger Tinn i nå?",
      "Tinn kommune ligger i Telemark "
      "(igjen fra 1. januar 2024; i 2020–2023 Vestfold og Telemark)."),
     ("kva er målforma i hjartdal", "Målforma i Hjartdal kommune er nynorsk."),
     ("største tettsted i Rollag", "Det største tettstedet i Rollag kommune er Veggli."),
     ("What is the population of Tinn?",
      "The population of Tinn municipality is 5,533 (2024)."),
     ("hva er adminstrasjonssenteret i Tin kommune",
      "Administrasjonssenteret i Tinn kommune er Rjukan.")],
)
def test_one_fact_is_answered_in_one_line(engine: Engine, question: str, line: str) -> None:
    assert engine.ask(question).outcome is Outcome.ANSWERED
    assert first_line(engine, question) == line


def test_an_old_fact_carries_its_year(engine: Engine) -> None:
    assert first_line(engine, "tlf rollag") == (
        "Rollag kommune har telefon 32 74 75 00 (oppgitt i 2007).")


def test_the_phone_answer_offers_the_contact_card(engine: Engine) -> None:
    result = engine.ask("sentralbordet i Nore og Uvdal")
    assert result.fact is not None and result.fact.entry_id == "contact.nore_og_uvdal"


def test_a_list_answers_for_all_seven_with_what_is_not_known(engine: Engine) -> None:
    text = result_plain(engine.ask("telefonnumrene til alle sju kommunene"), engine.knowledge)
    lines = text.splitlines()
    assert lines[0] == "Telefonnummer:" and len([ln for ln in lines if ln.startswith("•")]) == 7
    assert "• Kongsberg: ikke kjent" in lines and "• Notodden: 35 01 50 00" in lines


def test_a_fact_the_bot_never_has_is_said_plainly_with_the_website(engine: Engine) -> None:
    result = engine.ask("hvem er ordfører i Flesberg?")
    assert result.outcome is Outcome.UNANSWERED  # it reaches the editors
    assert first_line(engine, "hvem er ordfører i Flesberg?") == (
        "Hvem som er ordfører eller rådmann i Flesberg kommune, vet jeg ikke. "
        "Se www.flesberg.kommune.no.")


@pytest.mark.parametrize(
    ("question", "line"),
    [("org.nr kongsbergregionen",
      "Organisasjonsnummeret til Regionrådet for Kongsbergregionen har jeg ikke. "
      "Se www.kongsbergregionen.no."),
     ("What's the organisation number of the Kongsberg region council?",
      "I do not have the organisation number of the Kongsbergregionen regional council. "
      "Please see www.kongsbergregionen.no."),
     ("hva er budsjettet til regionrådet i år",
      "Budsjettet og økonomien til Regionrådet for Kongsbergregionen har jeg ikke tall for. "
      "Se www.kongsbergregionen.no."),
     ("Who is the general manager of Kongsbergregionen?",
      "I do not know who works for the Kongsbergregionen regional council. "
      "Please see www.kongsbergregionen.no.")],
)
def test_what_the_bot_never_has_about_the_council_is_said_with_its_website(
    engine: Engine, question: str, line: str
) -> None:
    assert engine.ask(question).outcome is Outcome.UNANSWERED
    assert first_line(engine, question) == line


def test_the_council_made_of_mayors_is_not_a_question_about_staff(engine: Engine) -> None:
    result = engine.ask("er det ordførerne som sitter i regionrådet")
    assert result.outcome is Outcome.ANSWERED and result.best is not None
    assert result.best.entry.id == "council.organisation"


def test_words_asking_for_contact_details_ask_for_phone_email_and_address(
    engine: Engine
) -> None:
    text = result_plain(engine.ask("kontaktinformasjon til Nore og Uvdal"), engine.knowledge)
    assert "31 02 40 00" in text and "post@noreoguvdal.kommune.no" in text
    assert "Sentrum 16, 3630 Rødberg" in text


def test_an_attribute_inside_another_is_not_asked_for(engine: Engine) -> None:
    text = result_plain(engine.ask("organisasjonsnummer Tinn"), engine.knowledge)
    assert "Organisasjonsnummeret til Tinn kommune har jeg ikke" in text
    assert "telefon" not in text


@pytest.mark.parametrize(
    ("question", "fact"),
    [("NoU sentralbord", "31 02 40 00"), ("postnr sauland kommunehus", "3692 Sauland"),
     ("adm.sentre alle 7", "• Flesberg: Lampeland"),
     ("hvilken av de sju kommunene har flest folk?", "• Kongsberg: 28 793 (2023)"),
     ("kan du lsite opp innbyggertallet for alle kommunene?", "• Tinn:"),
     ("List the administrative centres of all seven member municipalities.",
      "• Tinn: Rjukan"),
     ("hvilken kommune i kongsbergregionen er størst i folketall?", "• Notodden: 13 025"),
     ("Flesberg or Hjartdal: which one has more residents?", "Hjartdal municipality is 1,630"),
     ("Innbyggertall Kongsberg og Notodden, med årstall", "Notodden kommune er 13 025 (2023)")],
)
def test_abbreviations_superlatives_and_typos_reach_the_facts(
    engine: Engine, question: str, fact: str
) -> None:
    result = engine.ask(question)
    assert result.outcome is Outcome.ANSWERED
    assert fact in result_plain(result, engine.knowledge)


@pytest.mark.parametrize("question", ["tlf Drammen kommune", "Hvor mange bor i Sigdal?",
                                      "hvem er ordfører i Oslo"])
def test_a_place_that_is_not_a_member_gets_no_facts(engine: Engine, question: str) -> None:
    result = engine.ask(question)
    assert result.outcome is Outcome.UNANSWERED
    assert "bare fakta om de sju medlemskommunene" in first_line(engine, question)


@pytest.mark.parametrize(
    "question", ["hvor mange bedrifter er det i Flesberg", "Sigdal?",
                 "Hva er Kongsbergregionen?", "hva er nummeret til politiet"],
)
def test_a_question_with_words_no_fact_explains_goes_on(engine: Engine, question: str) -> None:
    assert engine.ask(question).fact is None


def test_a_long_message_is_answered_from_the_sentence_that_asks(engine: Engine) -> None:
    message = ("Hei! Jeg jobber i resepsjonen på rådhuset i Kongsberg. Nå står det en dame her "
               "som trenger å få tak i Hjartdal kommune. Hvilket telefonnummer skal hun ringe? "
               "Mvh Kari")
    assert first_line(engine, message).startswith("Hjartdal kommune har telefon 35 02 80 00")


def test_problems_in_facts_yaml_are_reported_with_their_lines(tmp_path: Path) -> None:
    directory = tmp_path / "kb"
    shutil.copytree(KNOWLEDGE, directory)
    path = directory / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    entry: municipality.tinn\n", "    entry: municipality.tinnn\n")
    text = text.replace("      admin_centre: Lampeland\n", "      capital: Lampeland\n")
    text = text.replace("    between: true\n", "    between: sometimes\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    problems = [str(p) for p in caught.value.problems]
    assert any("facts.yaml:" in p and "'entry' names no entry: 'municipality.tinnn'" in p
               for p in problems), problems
    assert any("unknown attribute 'capital'" in p for p in problems), problems
    assert any("facts.yaml:" in p and "'between' must be true or false" in p
               for p in problems), problems


def test_phone_email_address_and_website_come_from_the_contact_entry(tmp_path: Path) -> None:
    """A number is written in one place: change it in contacts.yaml and the fact follows."""
    directory = tmp_path / "kb"
    shutil.copytree(KNOWLEDGE, directory)
    contacts = directory / "contacts.yaml"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace(
        '"35 01 50 00"', '"35 01 50 99"'), encoding="utf-8")
    engine = Engine.from_directory(directory, MatchingConfig())
    assert first_line(engine, "tlf notodden") == "Notodden kommune har telefon 35 01 50 99."
    assert first_line(engine, "adresse rollag") == (
        "Adressen til Rollag kommune er 3626 Rollag (oppgitt i 2007).")


def test_a_question_inside_a_story_is_answered(engine: Engine) -> None:
    result = engine.ask(
        "Hei! Eg har budd her i tretti år. No har vi fått nye naboar frå Tyskland, og dei "
        "lurte på kva som er administrasjonssenteret i Nore og Uvdal. Eg vart svar skuldig. "
        "Veit du det? Helsing Ragnhild"
    )
    assert "Rødberg" in result_plain(result, engine.knowledge)


def test_what_stands_before_an_inner_question_is_part_of_it(engine: Engine) -> None:
    # "maile … hvilken adresse" asks for the e-mail address, not the postal one.
    text = result_plain(engine.ask("funker det å maile Tinn kommune, hvilken adresse bruker "
                                   "jeg da?"), engine.knowledge)
    assert "Storgata" not in text and "Rjukan" not in text.split("@")[0]


def test_a_broken_bundle_or_council_block_is_named_with_its_line(tmp_path: Path) -> None:
    directory = tmp_path / "kb"
    shutil.copytree(KNOWLEDGE, directory)
    path = directory / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    attributes: [phone, email, address]\n",
                        "    attributes: [phone, telex]\n")
    text = text.replace("  contact: contact.council\n", "  contact: contact.counsil\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    problems = [str(p) for p in caught.value.problems]
    lines = text.splitlines()
    fax_line = next(i for i, line in enumerate(lines, 1) if "[phone, telex]" in line)
    counsil_line = next(i for i, line in enumerate(lines, 1) if "contact.counsil" in line)
    assert f"facts.yaml:{fax_line}: bundle: unknown attribute(s) telex" in "\n".join(problems)
    assert any(f"facts.yaml:{counsil_line}:" in p and "'contact' must be an entry id" in p
               for p in problems), problems


def test_a_place_outside_the_region_is_never_read_as_a_misspelt_member(engine: Engine) -> None:
    """"tonsberg" is one letter from "Kongsberg" but is Tønsberg, which is not a member."""
    text = result_plain(engine.ask("hva er postnummeret til tonsberg"), engine.knowledge)
    assert "Kongsberg kommune" not in text and "Om Tønsberg vet jeg ikke noe." in text


@pytest.mark.parametrize(
    ("question", "lines"),
    [("hæ, rjukan ligger i hvilken kommune da?",
      ["Det ligger i Tinn kommune.", "Administrasjonssenteret i Tinn kommune er Rjukan."]),
     ("Lampeland, hvilken kommune er det i igjen?",
      ["Det ligger i Flesberg kommune.",
       "Administrasjonssenteret i Flesberg kommune er Lampeland."]),
     ("Which municipality is Rødberg in?",
      ["It is in Nore og Uvdal municipality.",
       "The administrative centre of Nore og Uvdal municipality is Rødberg."]),
     ("Hvilken kommune ligger Veggli i?",
      ["Det ligger i Rollag kommune.", "Det største tettstedet i Rollag kommune er Veggli."])],
)
def test_a_village_is_placed_in_its_municipality(engine: Engine, question: str,
                                                 lines: list[str]) -> None:
    """The municipality, and what the village named is in it: the reply names the village."""
    assert engine.ask(question).outcome is Outcome.ANSWERED
    assert result_plain(engine.ask(question), engine.knowledge).splitlines() == lines


def test_which_municipality_beside_another_attribute_asks_for_that_one(engine: Engine) -> None:
    text = result_plain(engine.ask("hvilken kommune har flest innbyggere"), engine.knowledge)
    assert text.startswith("Innbyggere:") and "Det ligger i" not in text


def test_a_place_outside_the_region_with_two_letters_swapped_is_still_that_place(
    engine: Engine,
) -> None:
    assert first_line(engine, "hvem er ordfører i Skein").endswith("Om Skien vet jeg ikke noe.")
    assert engine.ask("hvem er ordfører i Skein").outcome is not Outcome.ANSWERED


@pytest.mark.parametrize("place", ["Kongsvinger", "Halden", "Voss", "Røros"])
def test_the_mayor_of_a_town_elsewhere_is_not_the_councils_organisation(
    engine: Engine, place: str
) -> None:
    """The council's members are mayors: "ordfører" alone must not answer with them."""
    result = engine.ask(f"Hvem er ordfører i {place}?")
    assert result.outcome is not Outcome.ANSWERED
    assert first_line(engine, f"Hvem er ordfører i {place}?").endswith(
        f"Om {place} vet jeg ikke noe.")


def test_two_fact_questions_in_two_sentences_get_both_facts(engine: Engine) -> None:
    text = result_plain(engine.ask("Hva er adm senter i Tinn? Og hvor mange bor i Rollag?"),
                        engine.knowledge)
    assert "Rjukan" in text and "Rollag" in text and "Innbyggertallet" in text


def test_a_second_sentence_that_is_no_fact_question_leaves_the_facts_alone(
    engine: Engine,
) -> None:
    result = engine.ask("Hei! Jeg er fra et lag i Flesberg. Hvordan kan vi komme i kontakt med "
                        "Regionrådet for Kongsbergregionen? Har de en nettside?")
    assert result.fact is None


@pytest.mark.parametrize(
    ("question", "line"),
    [("Kva er kontonummeret til Hjartdal kommune?",
      "Kontonummeret til Hjartdal kommune har eg ikkje. Sjå www.hjartdal.kommune.no."),
     ("når er rådhuset i Notodden åpent?",
      "Åpningstidene til Notodden kommune har jeg ikke. Se www.notodden.kommune.no."),
     ("hvor mye er eiendomsskatten i kongsberg",
      "Avgifter, gebyrer og eiendomsskatt i Kongsberg kommune har jeg ikke tall for. "
      "Se www.kongsberg.kommune.no."),
     ("Kor mykje betalar kvar medlemskommune i kontingent til regionrådet per år?",
      "Budsjettet og økonomien til Regionrådet for Kongsbergregionen har eg ikkje tal for. "
      "Sjå www.kongsbergregionen.no.")],
)
def test_facts_the_bot_never_has_are_said_plainly_with_the_website(
    engine: Engine, question: str, line: str
) -> None:
    """Opening hours asked about the town hall are not its address (`instead_of`)."""
    assert first_line(engine, question) == line


def test_an_unknown_attribute_in_instead_of_is_named_with_its_line(tmp_path: Path) -> None:
    directory = tmp_path / "kb"
    shutil.copytree(KNOWLEDGE, directory)
    path = directory / "facts.yaml"
    text = path.read_text(encoding="utf-8").replace("    instead_of: [address]\n",
                                                    "    instead_of: [adress]\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    problems = "\n".join(str(p) for p in caught.value.problems)
    assert "attribute opening_hours: unknown attribute(s) adress" in problems
    assert "facts.yaml:" in problems


def test_a_misspelt_member_is_no_place_outside_the_region(engine: Engine) -> None:
    """"konsberg" is one letter off Tønsberg as well as Kongsberg."""
    assert first_line(engine, "hvor mange bor i konsberg").startswith(
        "Innbyggertallet i Kongsberg kommune er")
    assert "Tønsberg" in first_line(engine, "hvor mange bor i tønsberg")



def test_a_fact_none_of_the_seven_has_is_said_once_with_where_to_look(engine: Engine) -> None:
    result = engine.ask("Hvilken av de sju kommunene er størst i areal?")
    assert result.outcome is Outcome.UNANSWERED
    assert first_line(engine, "Hvilken av de sju kommunene er størst i areal?") == (
        "Areal har jeg ikke for noen av de sju kommunene. Se kommunenes egne nettsider eller "
        "www.kongsbergregionen.no.")


def test_a_question_without_a_question_mark_in_a_long_message_is_answered(
    engine: Engine,
) -> None:
    message = ("HEI JEG ER 84 ÅR OG BOR PÅ VEGGLI. BARNEBARNET MITT SA AT JEG KAN SPØRRE HER. "
               "HVA ER TELEFONNUMMERET TIL ROLLAG KOMMUNE. JEG HAR IKKE TELEFONKATALOGEN "
               "LENGER. HILSEN GUNNAR")
    assert first_line(engine, message).startswith("Rollag kommune har telefon 32 74 75 00")


def test_a_short_question_that_points_back_asks_the_sentence_before_it(engine: Engine) -> None:
    message = ("Hei, jeg er vikar på sentralbordet denne uka. En innringer vil snakke med "
               "kommunen i Rollag og spør etter nummeret dit. Har du det? Takk, Sandra")
    assert first_line(engine, message).startswith("Rollag kommune har telefon 32 74 75 00")


def test_the_council_named_before_is_what_its_refers_to(engine: Engine) -> None:
    """"its budget" after a sentence naming the council is the council's budget; without a
    word that refers back, a municipality named before is not the council."""
    message = ("I'm writing about regional cooperation. I've read that the Kongsberg region "
               "council was founded in 2005. Could you tell me what its annual budget is and "
               "how many people work in its secretariat? Best regards, Tom")
    result = engine.ask(message)
    assert result.fact is not None and result.fact.text.split("\n") == [
        "I do not have figures for the budget of the Kongsbergregionen regional council. "
        "Please see www.kongsbergregionen.no.",
        "I do not know who works for the Kongsbergregionen regional council. "
        "Please see www.kongsbergregionen.no."]
    leader = engine.ask("Jeg skal invitere lederen av regionrådet til et møte i Hjartdal. Vet "
                        "du hvem som er leder og nestleder nå, og hvem som er daglig leder i "
                        "sekretariatet?")
    assert leader.entry is not None and leader.entry.id == "council.leadership"


def test_what_someone_earns_is_never_known(engine: Engine) -> None:
    assert first_line(engine, "hvor mye tjener egentlig ordføreren i Kongsberg?") == (
        "Hva noen tjener i Kongsberg kommune, har jeg ikke tall for. "
        "Se www.kongsberg.kommune.no.")
    assert first_line(engine, "what does the mayor of Tinn earn").startswith(
        "I do not have salary figures for Tinn")


@pytest.mark.parametrize(("question", "village"), [
    ("hvor mang innbyggre har Notoden?", "Innbyggertallet i Notodden kommune er"),
    ("admin senter Flesbreg", "Administrasjonssenteret i Flesberg kommune er Lampeland."),
])
def test_misspelt_attribute_words_and_names_still_ask_for_the_fact(
    engine: Engine, question: str, village: str
) -> None:
    assert first_line(engine, question).startswith(village)


def test_them_in_a_question_refers_to_what_the_sentence_before_named(engine: Engine) -> None:
    message = ("Vi har bodd i Kongsberg i tre måneder. Læreren snakker om bokmål og nynorsk. "
               "Hvilken av dem bruker Kongsberg kommune, og hva heter administrasjonssenteret?")
    result = engine.ask(message)
    assert result.fact is not None
    assert "Målformen i Kongsberg kommune er bokmål." in result.fact.text
    assert "Administrasjonssenteret i Kongsberg kommune er Kongsberg." in result.fact.text
    listed = engine.ask("Our class is twinned with a school in Tinn. The pupils want to know "
                        "the seven member municipalities and their administrative centres. "
                        "Could you list them?")
    assert listed.fact is not None
    assert all(village in listed.fact.text for village in ("Lampeland", "Rjukan", "Sauland"))


def test_a_body_asked_about_in_a_member_municipality_points_to_its_website(
    engine: Engine,
) -> None:
    assert first_line(engine, "har du nummeret til legekontoret på rødberg?") == (
        "Jeg har bare kontaktinformasjon til de sju kommunene og regionrådet, ikke til "
        "Legekontoret. Se Nore og Uvdal kommune sine nettsider, www.noreoguvdal.kommune.no.")
    assert first_line(engine, "tlf nav").endswith("Se NAV sine egne nettsider.")


def test_what_a_building_application_costs_is_a_fee_never_known(engine: Engine) -> None:
    assert first_line(engine, "Eg lurer på kor mykje det kostar å sende byggjesøknad til "
                              "Notodden kommune.") == (
        "Avgifter, gebyr og eigedomsskatt i Notodden kommune har eg ikkje tal for. "
        "Sjå www.notodden.kommune.no.")


def test_a_stop_word_is_no_misspelt_member_and_some_of_us_are_not_all_seven(
    engine: Engine,
) -> None:
    """"handle inn" is no Tinn; "Noen av oss" is not "noen av kommunene"."""
    message = ("Hei, vi er en turgjeng som skal på hyttetur i Rollag i vinterferien. Noen av oss "
               "lurte på hva som er det største tettstedet i kommunen, så vi vet hvor vi bør "
               "handle inn. Kan du si det?")
    assert first_line(engine, message) == "Det største tettstedet i Rollag kommune er Veggli."


def test_a_question_about_the_council_is_not_asked_of_a_municipality_named_before(
    engine: Engine,
) -> None:
    result = engine.ask("Hei, jeg driver en bedrift i Kongsberg. Hvem er daglig leder i "
                        "regionrådet i dag, og har du direktenummeret hennes eller hans?")
    assert result.fact is None or "Kongsberg kommune" not in result.fact.text


@pytest.mark.parametrize(("question", "line"), [
    ("telefnonummer til sigdal kommune", "Om Sigdal vet jeg ikke noe."),
    ("Skal sette over til Sigdal kommune, har du nr?", "Om Sigdal vet jeg ikke noe."),
    ("Fakturaadresse Flesberg kommune",
     "Fakturaadressen til Flesberg kommune har jeg ikke. Se www.flesberg.kommune.no."),
    ("Dear Sir or Madam, I represent a company considering an office in the region. Before we "
     "contact anyone directly, we would like to know the name of the mayor of Kongsberg. "
     "Yours sincerely, Pieter",
     "I do not know who the mayor or chief executive of Kongsberg municipality is. Please see "
     "www.kongsberg.kommune.no."),
])
def test_facts_asked_in_the_words_of_round_18(engine: Engine, question: str, line: str) -> None:
    assert first_line(engine, question).endswith(line)


def test_a_sentence_wanting_to_know_and_a_question_are_both_answered(engine: Engine) -> None:
    result = engine.ask("Dear Sir or Madam, I am writing on behalf of a Canadian family that has "
                        "just moved to Kongsberg. They would like to know whether the "
                        "municipality uses bokmål or nynorsk, since their children will start "
                        "school in Norwegian. Could you also confirm the municipality's website? "
                        "Yours faithfully, Emily, relocation consultant")
    assert result.fact is not None
    assert "bokmål" in result.fact.text.lower() and "www.kongsberg.kommune.no" in result.fact.text


def test_a_closing_purpose_clause_and_a_who_is_it_question(engine: Engine) -> None:
    listed = engine.ask("Kunne du gitt meg nettsidene til alle kommunene i Kongsbergregionen, "
                        "så jeg kan legge dem i en intern oversikt?")
    assert listed.fact is not None and "www.tinn.kommune.no" in listed.fact.text
    staff = engine.ask("Hei! Jeg er nyansatt i kommunen og skal forberede et besøk fra "
                       "regionrådet. Sjefen min spør hvem som er daglig leder i Kongsbergregionen "
                       "nå, slik at vi kan sende invitasjonen til riktig person. Vet du hvem det "
                       "er? Mvh Linn")
    assert staff.fact is not None and "www.kongsbergregionen.no" in staff.fact.text


def test_them_after_places_outside_the_region_is_not_the_members(engine: Engine) -> None:
    result = engine.ask("I need the member municipalities of the Hallingdal regional council "
                        "and the Vest-Telemark council. Could you list those for me?")
    assert result.outcome is not Outcome.ANSWERED


@pytest.mark.parametrize(("message", "holds"), [
    ("Hei. Eg er pensjonist og bur i Uvdal. Eg skal sende eit brev til kommunen, kva er "
     "postadressa deira? Helsing Knut", "Sentrum 16"),
    ("Good evening. I read about some county changes in Norway: which county is Kongsberg part "
     "of these days? Warm regards, Fiona", "Buskerud"),
    ("En gjest spør meg om hvilket fylke Kongsberg ligger i nå, for han har sett både Viken og "
     "Buskerud på ulike kart. Hva er riktig i dag? Takk, Line", "Buskerud"),
    ("I'm covering Notodden and need the latest population figure for the municipality that "
     "you have. Could you help? Kind regards, Emma", "13,025"),
    ("Jeg har funnet innbyggertall, men jeg trenger også arealet til hver kommune i "
     "kvadratkilometer. Kan du hjelpe? Takk, Emil", "Areal"),
    ("Faksnummer til Notodden kommune?", "Faksnummeret til Notodden kommune har jeg ikke"),
    # a request without a question
    ("Nettadressene til alle medlemskommunene, takk. Skal lage en lenkeliste på intranettet.",
     "www.hjartdal.kommune.no"),
    # a closing "and I cannot find it"
    ("En innringer vil vite hvem som er ordfører i Rollag nå, og jeg finner det ikke i "
     "notatene jeg har fått. Vet du det? Takk, hilsen vikaren", "www.rollag.kommune.no"),
    # a sentence asking in parts
    ("Jeg vil gjerne sende et brev til ordføreren i Kongsberg om brøytingen i veien vår. Hva "
     "heter ordføreren, og hvor sender jeg brevet? Hilsen Gunvor", "www.kongsberg.kommune.no"),
    # a closing "as well as you have them"
    ("Kan du gi meg telefonnumrene til alle kommunene i Kongsbergregionen, så godt du har dem?",
     "35 01 50 00"),
])
def test_a_question_inside_a_sentence_is_read_the_ways_people_write_it(
    engine: Engine, message: str, holds: str
) -> None:
    result = engine.ask(message)
    assert result.fact is not None and holds in result.fact.text


def test_the_website_of_the_council_named_before_is_not_a_municipalitys_address(
    engine: Engine,
) -> None:
    result = engine.ask("Hei. Jeg er en eldre dame på Notodden. Datteren min sier at "
                        "regionrådet har en egen nettside der jeg kan lese om samarbeidet. Hva "
                        "er adressen til den nettsiden? Vennlig hilsen Gunvor")
    assert result.fact is None or "Notodden" not in result.fact.text


def test_a_member_typed_with_a_letter_doubled_is_that_member(engine: Engine) -> None:
    assert first_line(engine, "hvor mnage bor i Tinnn").startswith(
        "Innbyggertallet i Tinn kommune er")


def test_a_county_body_asked_about_is_named_as_the_county_municipality(engine: Engine) -> None:
    """The council's members are mayors: "fylkesordfører" had been answered with them."""
    result = engine.ask("Hvem er fylkesordfører i Telemark?")
    assert result.outcome is not Outcome.ANSWERED
    assert first_line(engine, "Hvem er fylkesordfører i Telemark?") == (
        "Jeg har bare kontaktinformasjon til de sju kommunene og regionrådet, ikke til "
        "Fylkeskommunen. Se Fylkeskommunen sine egne nettsider.")


def test_what_is_that_place_called_asks_the_sentence_before(engine: Engine) -> None:
    message = ("Vi starter fra Uvdal-sida. Vi tenkte å handle mat i kommunesenteret i Nore og "
               "Uvdal før vi går innover. Hva heter det stedet? Takk! Hilsen turgjengen")
    result = engine.ask(message)
    assert result.fact is not None and "Rødberg" in result.fact.text


def test_a_body_asked_about_without_a_fact_word_is_still_named(engine: Engine) -> None:
    assert first_line(engine, "How do I get a D-number?") == (
        "I only have contact details for the seven municipalities and the regional council, "
        "not for Skatteetaten. Please see Skatteetaten's own website.")
    assert engine.ask("tussen takk for hjelpen").fact is None  # no question: no body


def test_is_rjukan_the_centre_of_tinn(engine: Engine) -> None:
    assert first_line(engine, "rjukan er vel senteret i tinn kommune eller?") == (
        "Administrasjonssenteret i Tinn kommune er Rjukan.")


def test_an_embedded_question_is_read_without_what_it_is_for(engine: Engine) -> None:
    message = ("Vi vil handle mat underveis og lurer på hva som er det største tettstedet i "
               "Rollag, så vi vet hvor det lønner seg å stoppe. Takk!")
    assert first_line(engine, message) == "Det største tettstedet i Rollag kommune er Veggli."


def test_a_municipality_number_is_never_known_and_elsewhere_is_elsewhere(engine: Engine) -> None:
    assert first_line(engine, "kommunenummer tinn") == (
        "Kommunenummeret til Tinn kommune har jeg ikke. Se www.tinn.kommune.no.")
    assert first_line(engine, "Hva er kommunenummeret til Sigdal?").endswith(
        "Om Sigdal vet jeg ikke noe.")
    assert "Kommunenummer" not in first_line(engine, "hvilke kommunner er medlemer i regionrådet")


def test_kvar_is_where_before_each_municipality_and_the_larger_of_two_places(
    engine: Engine,
) -> None:
    """"Kvar" is "where" as well as "each" in nynorsk: only "kvar kommune" asks about all."""
    assert engine.ask("Kvar finn eg nettsida til regionrådet?").fact is None
    assert first_line(engine, "telefonnummeret til kvar kommune").startswith("Telefonnummer")
    result = engine.ask("Er det Rollag eller Veggli som er kommunesenteret i Rollag kommune, og "
                        "hvilket av stedene er størst?")
    assert result.fact is not None and "Veggli" in result.fact.text


@pytest.mark.parametrize(("question", "line"), [
    ("vakt i resepsjonen, noen spør etter hovednummeret til Notodden kommune",
     "Notodden kommune har telefon 35 01 50 00."),
    ("tlf Rollag kommune (innbygger på linja)", "Rollag kommune har telefon"),
    ("postadr NoU kommune, trenger for konvolutt", "Adressen til Nore og Uvdal kommune er"),
    ("adressen til kommunehuset i Hjartdal, skriver fra utlandet uten ae o a",
     "Adressen til Hjartdal kommune er"),
])
def test_an_aside_in_brackets_or_between_commas_does_not_hide_the_fact(
    engine: Engine, question: str, line: str,
) -> None:
    assert first_line(engine, question).startswith(line)


def test_who_asks_before_lurer_pa_names_no_attribute(engine: Engine) -> None:
    """The office and the resident of "Eg er tilsett på servicekontoret og har fått spørsmål frå
    ein innbyggjar som lurer på kva for kommunar som er med" ask no staff, phone or population."""
    message = ("Hei! Eg er tilsett på servicekontoret og har fått spørsmål frå ein innbyggjar som "
               "lurer på kva for kommunar som eigentleg er med i Kongsbergregionen. Kan du ramse "
               "dei opp for meg? Takk, Gunvor")
    result = engine.ask(message)
    assert result.fact is None
    assert result.best is not None and result.best.entry.id == "council.members"


def test_each_of_two_places_respectively_and_the_largest_municipality(engine: Engine) -> None:
    text = result_plain(engine.ask(
        "Før jeg ringer rundt: hvor mange innbyggere har henholdsvis Kongsberg og Notodden, og "
        "hvilket år gjelder tallene? Det haster litt."), engine.knowledge)
    assert "28 793 (2023)" in text and "13 025 (2023)" in text and "02800" not in text
    assert "Kongsberg: 28 793" in first_line(engine, "kæm ta kommunane i regionen e størst?") + (
        result_plain(engine.ask("kæm ta kommunane i regionen e størst?"), engine.knowledge))
    area = engine.ask("Hvilken kommune er størst i areal?")
    assert area.fact is not None and "28 793" not in area.fact.text


def test_the_number_asked_of_a_place_named_before_outside_the_region(engine: Engine) -> None:
    """"… servicetorget i Drammen kommune … Kan du gi meg nummeret?" asks Drammen's number, not
    the council's; the council asked about by someone living in Drammen is the council."""
    result = engine.ask(
        "Hei, jeg heter Per og har nettopp flyttet til Drammen. Jeg har prøvd å finne "
        "telefonnummeret til servicetorget i Drammen kommune, men nettsiden er forvirrende. Kan "
        "du gi meg nummeret? Takk, Per")
    assert result.outcome is not Outcome.ANSWERED
    council = engine.ask("Jeg bor i Drammen. Hva er telefonnummeret til regionrådet?")
    assert "Drammen" not in result_plain(council, engine.knowledge)


def test_an_abbreviation_ends_no_sentence_and_the_council_named_just_before_is_asked(
    engine: Engine,
) -> None:
    """"… organisasjonsnummeret til Kongsbergregionen. Finnes det et org.nr. jeg kan bruke?":
    the council's number (not the member named earlier), and "org.nr." ends no sentence."""
    text = result_plain(engine.ask(
        "Hei, jeg er ny som saksbehandler i Nore og Uvdal og skal fakturere regionrådet for en "
        "workshop vi holdt. Økonomi ber om organisasjonsnummeret til Kongsbergregionen. Finnes "
        "det et org.nr. jeg kan bruke? Takk, Jonas"), engine.knowledge)
    assert text.startswith("Organisasjonsnummeret til Regionrådet for Kongsbergregionen")


def test_who_asks_before_a_colon_or_wanting_to_know_is_not_asked_about(engine: Engine) -> None:
    assert first_line(engine, "Ny ansatt i Flesberg: hva heter adm.senteret vårt egentlig, "
                      "Lampeland eller Flesberg?") == (
        "Administrasjonssenteret i Flesberg kommune er Lampeland.")
    text = result_plain(engine.ask(
        "Hei igjen, takk for svaret om Notodden i stad. Sjefen min ville også vite hvilket fylke "
        "Notodden lå i mellom 2020 og 2023, for vi skal rydde i noen gamle dokumenter. Hilsen "
        "Anita i arkivet"), engine.knowledge)
    assert "Vestfold og Telemark" in text and "ordfører" not in text


def test_what_do_i_answer_passes_on_the_question_before(engine: Engine) -> None:
    result = engine.ask("Innringer lurer på om Sigdal er medlem. Hva svarer jeg?")
    assert result.best is not None and result.best.entry.id == "council.sigdal"


def test_a_message_wanting_a_fact_elsewhere_is_not_small_talk(engine: Engine) -> None:
    result = engine.ask(
        "Hei! Jeg er hytteeier i Sigdal og lurer på om du kan gi meg telefonnummeret til Sigdal "
        "kommune, siden jeg hørte at de skal bli med i regionen deres. Jeg må ringe om brøyting "
        "av veien. Mvh Arne")
    assert result.best is None or result.best.entry.kind != "smalltalk"
    assert result.outcome is not Outcome.ANSWERED


def test_the_two_places_named_before_and_the_council_called_radet(engine: Engine) -> None:
    text = result_plain(engine.ask(
        "Hei. Samboeren min og jeg vurderer å flytte fra Oslo, og vi har landet på enten "
        "Kongsberg eller Notodden. Før vi bestemmer oss vil vi gjerne vite omtrent hvor mange som "
        "bor i de to kommunene. Har du tall på innbyggere? Takk, Marte"), engine.knowledge)
    assert "28 793" in text and text.count("13 025") == 1
    council = result_plain(engine.ask(
        "Hei! Eg er leiar i ungdomsrådet i Notodden, og vi skal skrive eit innspel til "
        "regionrådet. Kven er sekretær for rådet, og kva er nettsida der vi kan finne meir? Takk! "
        "Helsing Sunniva"), engine.knowledge)
    assert "www.notodden.kommune.no" not in council


@pytest.mark.parametrize("question", [
    "Er Vinje kommune med i Kongsbergregionen?", "Vinje medlem?", "Is Drammen part of the region?",
])
def test_a_place_outside_the_region_asked_about_as_a_member_is_not_one(
    engine: Engine, question: str
) -> None:
    result = engine.ask(question)
    text = result_plain(result, engine.knowledge)
    assert result.outcome is Outcome.ANSWERED
    assert text.startswith(("Nei, ", "No, ")) and "Hjartdal" in text
    assert "Strategiplan-for-Kongsbergregion-samarbeidet" in text  # where the members are read


def test_a_region_a_place_would_join_or_background_is_no_membership_question(
    engine: Engine,
) -> None:
    for question in ("Hvilke kommuner er med i Vestfoldregionen?",
                     "Eg skriv for ei avis i Vest-Telemark og held på med ei sak om samarbeid. "
                     "Kor store driftsinntekter hadde Kongsbergregionen?"):
        assert not result_plain(engine.ask(question), engine.knowledge).startswith("Nei, ")
    assert engine.ask("Er Sigdal med i Kongsbergregionen?").best.entry.id == "council.sigdal"


def test_a_question_pointing_back_asks_the_nearest_sentence_that_asks(engine: Engine) -> None:
    text = result_plain(engine.ask(
        "God kveld. Eg er frivillig i eit idrettslag. Skjemaet spør kva fylke laget høyrer til "
        "no, og kva som er kommunesenteret. Laget held til i Hjartdal. Kan du hjelpe meg med dei "
        "to svara? Helsing Torbjørn"), engine.knowledge)
    assert "Sauland" in text and "Telemark" in text and "Saulandsvegen" not in text
    both = result_plain(engine.ask(
        "I organise a cycling event through Flesberg and Rollag. I need to know the "
        "administrative centres of both municipalities. What are they? Regards, James"),
        engine.knowledge)
    assert "Lampeland" in both and "Rjukan" not in both


def test_an_address_after_a_sentence_about_e_mail_is_the_e_mail_address(engine: Engine) -> None:
    text = result_plain(engine.ask(
        "Hun vil helst sende søknaden til Nore og Uvdal på e-post. Hvilken adresse skal hun "
        "bruke?"), engine.knowledge)
    assert "post@noreoguvdal.kommune.no" in text and "Sentrum 16" not in text


def test_a_second_question_that_only_refers_back_keeps_the_first_answered(
    engine: Engine,
) -> None:
    text = first_line(engine, "Which county is Notodden in now? I've read it used to be "
                              "something else for a few years — what was it between 2020 and "
                              "2023?")
    assert "Telemark" in text and "Vestfold og Telemark" in text


def test_the_area_of_a_visit_is_no_area_in_square_kilometres(engine: Engine) -> None:
    assert first_line(engine, "My son is curious about the area and asked me which village "
                              "is the administrative centre of Nore og Uvdal.") == (
        "The administrative centre of Nore og Uvdal municipality is Rødberg.")
    assert "area" in first_line(engine, "What is the area of Tinn in square kilometres?")


def test_vacancies_are_not_known_and_the_website_is_given(engine: Engine) -> None:
    result = engine.ask("Eg søkjer jobb. Har Tinn kommune ledige stillingar no?")
    assert result.outcome is Outcome.UNANSWERED
    assert first_line(engine, "har flesberg kommune noen ledige jobber nå?") == (
        "Ledige stillinger i Flesberg kommune har jeg ikke oversikt over. "
        "Se www.flesberg.kommune.no.")


def test_a_phone_number_asked_about_names_its_municipality(engine: Engine) -> None:
    assert first_line(engine, "Hvem har telefonnummeret 35 01 50 00?") == (
        "Notodden kommune har telefon 35 01 50 00.")
    assert "Nore og Uvdal" in first_line(
        engine, "funker det å ringe 31 02 40 00 for å nå Nore og Uvdal kommune?")


def test_which_website_the_council_has_is_the_councils_not_each_members(
    engine: Engine,
) -> None:
    assert engine.ask("Kva for nettstad har regionrådet?").best.entry.id == "council.website"
    assert not first_line(engine, "Er Øvre Eiker med i et regionråd?").startswith("Nei, ")


def test_the_secretariat_is_the_councils_and_its_staff_not_known(engine: Engine) -> None:
    result = engine.ask("Antall ansatte i sekretariatet?")
    assert result.outcome is Outcome.UNANSWERED
    assert "kongsbergregionen.no" in result_plain(result, engine.knowledge)
    leader = engine.ask("Vet du hvem som er leder og nestleder nå, og hvem som er daglig leder i "
                        "sekretariatet?")
    assert leader.best is not None and leader.best.entry.id == "council.leadership"


def test_meeting_dates_are_not_known_and_the_website_is_given(engine: Engine) -> None:
    council = engine.ask("Når er det neste rådsmøtet i Kongsbergregionen?")
    assert council.outcome is Outcome.UNANSWERED
    assert "kongsbergregionen.no" in result_plain(council, engine.knowledge)
    assert "www.tinn.kommune.no" in first_line(engine, "Når er neste kommunestyremøte i Tinn?")


def test_who_is_responsible_for_something_is_not_known(engine: Engine) -> None:
    result = engine.ask("Eg treng namnet på næringssjefen i Hjartdal kommune til søknaden. "
                        "Veit du kven det er?")
    assert result.outcome is Outcome.UNANSWERED
    assert "www.hjartdal.kommune.no" in result_plain(result, engine.knowledge)


@pytest.mark.parametrize(
    ("question", "line"),
    [("hva heter administrasjonssenteret i fles berg kommune",
      "Administrasjonssenteret i Flesberg kommune er Lampeland."),
     ("hvilken mål form har flesberg", "Målformen i Flesberg kommune er bokmål."),
     ("hvor mange innbyggere har not odden", "Innbyggertallet i Notodden kommune er"),
     ("hva er administrasjons senteret i hjart dal",
      "Administrasjonssenteret i Hjartdal kommune er Sauland.")],
)
def test_a_name_or_word_dictated_in_two_is_read_as_one(
    engine: Engine, question: str, line: str
) -> None:
    """Learnt from round 51 (dictated by voice): "fles berg", "not odden", "mål form"."""
    assert first_line(engine, question).startswith(line)


@pytest.mark.parametrize(
    ("question", "website"),
    [("Hei! Jeg sitter i styret i et næringsforum og vi vurderer å søke om et felles prosjekt "
      "med regionrådet innen kunnskapsutvikling. Hvilke prosjekter har dere satt i gang, og "
      "hvem er kontaktperson? Mvh Linn", "www.kongsbergregionen.no"),
     ("Who is the current managing director (daglig leder) of the council?",
      "www.kongsbergregionen.no"),
     ("Hi, I'm writing a report for an NGO on regional bodies in Norway. Could you tell me the "
      "annual budget of the Kongsberg regional council and what legal form it has? Best, Julia",
      "www.kongsbergregionen.no"),
     ("hvem er ordfører i Kongsberg nå forresten?", "www.kongsberg.kommune.no")],
)
def test_what_the_bot_never_has_is_said_so_even_when_unsure_of_the_rest(
    engine: Engine, question: str, website: str
) -> None:
    """Learnt from rounds 37-50 at first sight: most questions for what the fact sheet lacks
    (a contact person, the managing director, the budget) got "Mente du …?"."""
    result = engine.ask(question)
    assert result.outcome is Outcome.UNANSWERED
    assert website in result_plain(result, engine.knowledge)


def test_a_question_about_the_councils_make_up_is_not_taken_for_its_staff(
    engine: Engine,
) -> None:
    """"rådmennene" asks how the council is made up (an entry), not who a chief is."""
    result = engine.ask("Kan rådmennene delta i rådsmøtene, og hva kan de der?")
    assert result.outcome is not Outcome.UNANSWERED
    assert result.best is not None and result.best.entry.id == "council.organisation"


def test_a_year_and_a_number_dictated_as_words_are_read(engine: Engine) -> None:
    """Learnt from round 51 (dictated by voice)."""
    assert first_line(engine, "hvor mange bor i tinn i tjue tjuefire").startswith(
        "Innbyggertallet i Tinn kommune er")
    assert first_line(engine, "hvilket fylke lå notodden i mellom tjue tjue og tjue tjuetre"
                      ) == ("Notodden kommune ligger i Telemark "
                            "(igjen fra 1. januar 2024; i 2020–2023 Vestfold og Telemark).")


def test_a_check_naming_another_fact_of_the_place_gets_that_fact_too(engine: Engine) -> None:
    """Learnt from round 52: "Er Veggli administrasjonssenteret i Rollag?" needs Veggli in the
    reply (it is Rollag's largest village), not only "… er Rollag"."""
    reply = result_plain(engine.ask("Er Veggli administrasjonssenteret i Rollag?"),
                         engine.knowledge)
    assert reply.splitlines()[:2] == ["Administrasjonssenteret i Rollag kommune er Rollag.",
                                      "Det største tettstedet i Rollag kommune er Veggli."]
    assert first_line(engine, "Ligger Tinn i Telemark?") == (
        "Tinn kommune ligger i Telemark "
        "(igjen fra 1. januar 2024; i 2020–2023 Vestfold og Telemark).")


@pytest.mark.parametrize(
    ("question", "line"),
    [("Ærede mottaker. Undertegnede er en eldre dame bosatt i Veggli. Vil De være så vennlig å "
      "oppgi telefonnummeret til Rollag kommune? Med vennlig hilsen Borghild",
      "Rollag kommune har telefon 32 74 75 00"),
     ("har du linken til notodden kommune sin side",
      "Nettsiden til Notodden kommune er www.notodden.kommune.no.")],
)
def test_a_formal_letter_and_a_page_of_its_own_are_read(
    engine: Engine, question: str, line: str
) -> None:
    """Learnt from round 51: "Vil De … oppgi", "kommune sin side"."""
    assert first_line(engine, question).startswith(line)


@pytest.mark.parametrize(
    ("question", "line"),
    [("hei eg er ny som tilsett i ein barnehage på rjukan og skal skrive eit brev til foreldra "
      "kva målform har tinn kommune eigentleg takk for hjelpa helsing solveig",
      "Målforma i Tinn kommune er"),
     ("ka fylke låg Hjartdal i før dei slo saman alt i 2020?", "Hjartdal kommune ligg i"),
     ("Postnr og poststed for Rollag kommune?", "Adressen til Rollag kommune er 3626 Rollag")],
)
def test_one_word_no_attribute_explains_does_not_stop_a_precise_answer(
    engine: Engine, question: str, line: str
) -> None:
    """When nothing else answers, one word of the question may stay unexplained."""
    assert first_line(engine, question).startswith(line)


@pytest.mark.parametrize(
    "question",
    ["tlf Kongsberg sykehus", "kan du gi meg nummeret til en rørlegger på kongsberg?",
     "Kan du si meg hva hovedstaden i Australia heter?",
     "når e kommunehuse i Rollag opent?",
     "hvilke år gjelder strategiplannen som ligger på notoden sin nettside"],
)
def test_the_one_word_left_is_never_another_body_an_owner_a_name_or_a_time(
    engine: Engine, question: str
) -> None:
    """Another body beside the name, whose number it is, a place written with a capital, a
    question of when, a word the knowledge base knows: no municipality fact answers these."""
    result = engine.ask(question)
    assert result.fact is None or not result.fact.known or "nettside" not in question
    assert not (result.outcome is Outcome.ANSWERED and result.fact is not None)


def test_a_distance_is_a_fact_the_bot_does_not_have(engine: Engine) -> None:
    """Learnt from round 56: "Hvilken av kommunene i regionen ligger nærmest Kongsberg?"."""
    result = engine.ask("Hvilken av kommunene i regionen ligger nærmest Kongsberg?")
    assert result.outcome is Outcome.UNANSWERED
    assert "www.kongsbergregionen.no" in result_plain(result, engine.knowledge)


def test_a_fact_none_of_the_seven_has_is_said_once_beside_a_list(engine: Engine) -> None:
    """Learnt from round 64: the mayors beside the e-mail addresses are not seven "ikke
    kjent" lines but one that says where to look."""
    text = result_plain(engine.ask(
        "Kan du gi meg navnene på de sju ordførerne og e-postadressene deres?"), engine.knowledge)
    assert text.startswith("E-postadresser:")
    assert "har jeg ikke for noen av de sju kommunene" in text
    assert "www.kongsbergregionen.no" in text and text.count("ikke kjent") <= 7


@pytest.mark.parametrize("question", ["Ka kostar det å få tømt søppel på Notodden? Veit du det?",
                                      "hvor mye koster renovasjon i tinn"])
def test_what_a_municipal_service_costs_is_not_known(engine: Engine, question: str) -> None:
    """Learnt from round 63 (it had been answered with what the bot can do)."""
    result = engine.ask(question)
    assert result.outcome is Outcome.UNANSWERED and result.fact is not None
    assert "kommune.no" in result_plain(result, engine.knowledge)


@pytest.mark.parametrize(("question", "first"), [
    ("når er det søppeltømming i Hjartdal?", "Når søppelet hentes i Hjartdal kommune"),
    ("When is bin day in Tinn?", "I do not have the waste collection days of Tinn"),
    ("hvor mange skoler er det i kongsberg kommune",
     "Hvor mange skoler og barnehager Kongsberg kommune har, vet jeg ikke."),
    ("Hva koster søppeltømming på Notodden?", "Avgifter, gebyrer og eiendomsskatt i Notodden"),
])
def test_waste_collection_and_schools_are_not_known(
    engine: Engine, question: str, first: str
) -> None:
    """Learnt from rounds 73 and 74: asked about a municipality's service it does not know,
    the bot says so with the website (a price is still a fee)."""
    text = result_plain(engine.ask(question), engine.knowledge)
    assert text.startswith(first) and "kommune.no" in text


@pytest.mark.parametrize(("question", "line"), [
    ("NOU adm", "Administrasjonssenteret i Nore og Uvdal kommune er Rødberg."),
    ("Jeg jobbe i Tinn. Hva er byen der kommunen har kontor?",
     "Administrasjonssenteret i Tinn kommune er Rjukan."),
])
def test_the_administrative_centre_in_short_and_everyday_words(
        engine: Engine, question: str, line: str) -> None:
    """Learnt from round 65: "adm" after a name, "byen der kommunen har kontor"; working in
    a municipality, said in the sentence before, asks for no vacancies."""
    text = result_plain(engine.ask(question), engine.knowledge)
    assert line in text.splitlines() and "Ledige stillinger" not in text


def test_what_an_errand_is_about_is_no_question_beside_one(engine: Engine) -> None:
    """Learnt from round 68: the number is asked for, the tax is what the call is about."""
    result = engine.ask("må ringe kommunen på Notodden ang. eiendomsskatten, hva er nummeret?")
    assert result.outcome is Outcome.ANSWERED
    assert "35 01 50 00" in result_plain(result, engine.knowledge)


@pytest.mark.parametrize(("question", "expected"), [
    ("ka heite administrasjonsstaen i Flesberg?", "Lampeland"),
    ("What's the main administrative town in Flesberg?", "Lampeland"),
    ("Nettadr. Flesberg kommune?", "www.flesberg.kommune.no"),
])
def test_a_fact_in_dialect_abbreviated_or_in_english(
        engine: Engine, question: str, expected: str) -> None:
    """Learnt from rounds 67 and 68."""
    result = engine.ask(question)
    assert result.outcome is Outcome.ANSWERED and expected in result_plain(
        result, engine.knowledge)
