"""Tests for bot/safety.py: terms and patterns, the decision between kinds, the replies in the
writer's language, validation of safety.yaml with file and line, and the engine's use of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, MatchingConfig
from bot.engine import Engine, Outcome
from bot.knowledge import KnowledgeError, load_knowledge
from bot.render import result_plain, safety_html
from bot.safety import Pattern, SafetyData, SafetyLayer
from bot.safety_eval import SWITCHBOARDS, holds_number
from bot.terms import parse_term

KNOWLEDGE = PROJECT_ROOT / "knowledge"


@pytest.fixture(scope="module")
def engine() -> Engine:
    """The engine on the shipped knowledge base."""
    return Engine.from_directory(KNOWLEDGE, MatchingConfig())


def kind(engine: Engine, message: str) -> str | None:
    match = engine.safety_check(message)
    return match.main.id if match else None


# --- patterns and terms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "word", "fits"),
    [("blør", "blor", True), ("blør", "blorstad", False), ("brenn*", "brennende", True),
     ("*brann", "bilbrann", True), ("*brann", "brannstasjon", False),
     ("*selvmord*", "selvmordstanker", True), ("Nød-SMS", "nodsms", True)],
)
def test_a_pattern_is_a_word_a_beginning_an_ending_or_a_part(
    written: str, word: str, fits: bool
) -> None:
    pattern = Pattern.parse(written)
    assert pattern is not None and pattern.matches(word) is fits


def test_terms_take_groups_wide_gaps_and_parts_anywhere() -> None:
    groups = {"not": frozenset({Pattern("ikke", "word"), Pattern("ikkje", "word")})}
    term = parse_term("pust* @not", groups=groups)
    assert term is not None and len(term.slots) == 2 and Pattern("ikkje", "word") in term.slots[1]
    wide = parse_term("spist ... tablett*")
    assert wide is not None and wide.gaps == (8,)
    both = parse_term("sopp & kaster")
    assert both is not None and len(both.together) == 2
    assert parse_term("@missing ord", groups=groups) is None
    assert parse_term("... ord") is None and parse_term("ord ...") is None


def layer_with(terms: list[str], exceptions: list[str] | None = None) -> SafetyLayer:
    from bot.safety import Category

    category = Category(
        id="fire", outcome="emergency", rank=1, reply={"nb": "Ring 110.", "en": "Call 110."},
        line={}, numbers=("110",), terms=tuple(parse_term(t) for t in terms),
        exceptions=tuple(parse_term(t) for t in exceptions or []),
    )
    return SafetyLayer(SafetyData(categories=(category,)))


def test_words_may_stand_apart_but_in_order() -> None:
    layer = layer_with(["puster ikke"])
    assert layer.check("han puster nesten ikke", "nb") is not None
    assert layer.check("ikke puster", "nb") is None
    assert layer.check("puster en to tre fire ikke", "nb") is None


def test_misspellings_are_found_in_long_words_only() -> None:
    layer = layer_with(["bevisstløs", "brann"])
    assert layer.check("han er bevistløs", "nb") is not None  # one letter wrong
    assert layer.check("brønn", "nb") is None  # a five-letter word must be spelt right


def test_an_everyday_word_is_never_read_as_a_misspelt_term() -> None:
    layer = layer_with(["hiding", "brinn*"])
    assert layer.check("Is Kongsberg Gruppen hiring engineers?", "en") is None
    assert layer.check("I am bringing a group of hikers", "en") is None
    assert layer.check("kan du bringe meg svaret", "nb") is None
    assert layer.check("the thief is hidign in the shed", "en") is not None  # no word: a typo


def test_a_term_is_looked_for_under_its_rarest_word_and_found_as_before() -> None:
    """Each term is indexed by the word least common in writing, so a message with "ikke" is
    not tried against every term that begins with "ikke"; what is found does not change."""
    layer = layer_with(["ikke ... leve", "puster ikke", "brann i kjelleren"])
    indexed = {pattern.core for pattern in layer._terms}
    assert indexed == {"leve", "puster", "kjelleren"}
    assert layer.check("jeg orker ikke å leve lenger", "nb") is not None
    assert layer.check("han puster ikke", "nb") is not None
    assert layer.check("det er brann i kjelleren", "nb") is not None
    assert layer.check("ikke i kjelleren", "nb") is None


def test_a_plus_keeps_two_words_together() -> None:
    layer = layer_with(["on fire"], ["fire + extinguisher"])
    assert layer.check("where is the fire extinguisher", "en") is None
    assert layer.check("the kitchen is on fire and the extinguisher is empty", "en") is not None


def test_an_exception_takes_back_what_a_term_found_in_the_same_words() -> None:
    layer = layer_with(["brenn*"], ["brenner for"])
    assert layer.check("Jeg brenner for Numedal", "nb") is None
    assert layer.check("det brenner for fullt i garasjen, og jeg brenner", "nb") is not None


def test_an_exception_with_parts_anywhere_takes_back_every_place_of_each_part() -> None:
    layer = layer_with(["brann"], ["brann & fjor & kommunen"])
    assert layer.check("brann i fjor, og etter den brann: hva gjør kommunen?", "nb") is None
    assert layer.check("brann i fjor, og nå er det brann igjen", "nb") is not None


# --- the shipped safety layer ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expected"),
    [("det brenner i garasjen", "fire"), ("FIRE at the cabin!!", "fire"),
     ("mannen min pustr ikke", "medical"), ("han er bevistløs", "medical"),
     ("dattera mi har spist medisinene mine", "poisoning"),
     ("min venn har tatt masse piller og svarer ikke", "poisoning"),
     ("he took a handful of pills", "poisoning"),
     ("jeg vil ikke leve lenger", "crisis"), ("i want to die", "crisis"),
     ("pappa slår meg", "child"), ("noen har brutt seg inn hos oss nå", "police"),
     ("barnet har høy feber i natt", "nonurgent"), ("det har skjedd en ulykke", "unclear"),
     ("kan jeg sende sms til 113?", "sms"), ("HJELP!!", "help"), ("SOS", "help"),
     ("vi finner ikke barna!", "police"), ("finn ikkje ungane", "police"),
     ("we can't find the kids anywhere", "police"),
     ("vi finner ikke veien, og barna er borte", "police"),
     ("sønnen min er borte fra skolen og svarer ikke på telefonen", "police"),
     ("kva har vorte av ungen", "police")],
)
def test_each_kind_is_recognised(engine: Engine, message: str, expected: str) -> None:
    assert kind(engine, message) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [("Eg kan ikkje meir", "crisis"),
     ("I hear voices telling me to hurt myself", "crisis"),
     ("Eg høyrer stemmer som seier eg skal skade meg", "crisis"),
     ("har gitt bort katten og gitaren, vil at noen skal ha dem når jeg er borte", "crisis"),
     ("what's the point of living anymore", "crisis"),
     ("ka e vitsen, eg har skrive brev te mor og alt e klart", "crisis"),
     ("tankene mine er så mørke i natt", "crisis"),
     ("si til pappa at det ikke var hans feil", "crisis"),
     ("jeg skal ikke noe sted, står bare her på perrongen", "crisis"),
     ("takk for alt, glad i dere. skrur av mobilen nå", "crisis"),
     ("My dad went hiking and hasn't come back, it's dark now", "police"),
     ("Nokon knuser vindauga på bilane våre no", "police"),
     ("someone is pulling at our front door right now", "police"),
     ("Han er heilt blå i andletet", "medical"),
     ("she is slurring and can't lift her arm", "medical"),
     ("Kona mi snakker ikke rent og munnen henger", "medical"),
     ("my son's lips are blue and he's floppy", "medical"),
     ("han har drukke raudsprit", "poisoning"),
     ("han slår veslebror igjen", "child"),
     ("uroleg for ein femåring i barnehagen, ho har blåmerke på armen", "child"),
     ("the chimney is roaring and sparks are flying out", "fire"),
     ("Gassflaska lekker og det freser", "fire"),
     ("Det har gått eit ras og eg trur nokon er tatt", "unclear"),
     ("Naboen svarer ikke når jeg banker på og avisene hoper seg opp", "unclear"),
     ("The car is upside down in the river", "unclear"),
     ("Ungen har mellomørebetennelse og det er søndag", "nonurgent"),
     ("the dog bit my son's hand, does he need a doctor tonight?", "nonurgent"),
     # Learnt from set g: goodbyes, plans and loneliness with no word of suicide.
     ("jeg har skrevet brev til alle jeg elsker", "crisis"),
     ("Har du lyst på hunden min? Trenger ham ikke etter i natt", "crisis"),
     ("ingen vet at jeg finnes", "crisis"),
     ("I've decided. Thank you for everything.", "crisis"),
     ("har sagt farvel til alle, står på brua", "crisis"),
     ("står på kanten og vil ikke tilbake", "crisis"),
     ("hun har planlagt hvordan hun skal dø", "crisis"),
     ("jeg klarer ikke natta", "crisis"),
     ("I have a panic attack and I'm alone", "crisis"),
     ("det er så svart i hodet", "crisis"),
     ("the world would be better if I was gone", "crisis"),
     ("i don't trust myself tonight", "crisis"),
     ("han skrev at vi ikke skal lete etter ham", "crisis"),
     # Emergencies told by their signs.
     ("Det lukter råtne egg i kjelleren og det blir verre", "fire"),
     ("noen prøver å åpne ytterdøren vår nå og jeg er alene", "police"),
     ("sambuaren min er full og står med hagla i gangen", "police"),
     ("han har fulgt etter meg fra bussen og jeg er redd", "police"),
     ("the car went off the road into the lake, people inside", "medical"),
     ("mamma snakker bare rare ord plutselig", "medical"),
     ("han er grå og svett og har vondt i kjeven", "medical"),
     ("armen hans er helt slapp", "medical"),
     ("toåringen har tygget på en snusporsjon", "poisoning"),
     ("fekk avløpsreinsar i auga, det svir", "poisoning"),
     ("vi drakk hjemmebrent og nå ser jeg uklart", "poisoning"),
     ("mor har tatt blodtrykksmedisinen to ganger", "poisoning"),
     ("et barn sitter alene i en bil i sola", "child"),
     ("treneren ber henne holde det hemmelig", "child"),
     ("a man tried to get my son into his car", "child"),
     ("det har skjedd noe, hva er nødnummeret", "unclear"),
     ("hunden glefset og jeg lurer på stivkrampe", "nonurgent"),
     ("nød!!", "help"),
     # Learnt from set h: poisonings told by product, medicine, amount or container.
     ("kompisen tok en hel stripe zopiclone og svarer ikke", "poisoning"),
     ("my brother swallowed a bunch of codeine and won't wake up", "poisoning"),
     ("hun blandet tabletter og vodka og puster rart", "poisoning"),
     ("he drank from the wrong bottle in the garage, it was turpentine", "poisoning"),
     ("jeg trodde det var saft, men det var ugressmiddel, og ungen drakk det", "poisoning"),
     ("pappa har tatt insulinen to ganger ved en feil", "poisoning"),
     ("han har drukket seg sanseløs og vi får ikke kontakt", "poisoning"),
     ("toåringen har smakt på parfymen min", "poisoning"),
     ("the tablet box is empty and she took them all", "poisoning"),
     ("han har spist hasjkake og er helt borte", "poisoning"),
     # Crises told by goodbyes, arrangements and questions, with no word of suicide.
     ("dette er min siste melding til dere", "crisis"),
     ("sa farvel til mamma på snap og skrudde av telefonen", "crisis"),
     ("hvem tar seg av katten når jeg ikke er her lenger", "crisis"),
     ("hvor mange sovetabletter må man ta for at det er nok", "crisis"),
     ("it would be better if I died out here", "crisis"),
     # Emergencies told by what is seen.
     ("kajakken kantra og padleren flyter med ansiktet ned", "medical"),
     ("the kids next door get hit every night, I hear it through the wall", "child"),
     ("fikk flåttbitt og det er en rød ring rundt", "nonurgent"),
     # Still missing persons beside the exception for a missing detail.
     ("we are missing a child, please help", "police"),
     # Verbs in the infinitive, the past and nynorsk (learnt from answer round 38).
     ("det er noen som prøver å bryte seg inn", "police"),
     ("jeg våknet og hørte noen prøve å åpne døra", "police"),
     ("eg høyrde nokon i kjellaren", "police"),
     # Learnt from set i: emergencies told amid a question, in other verb forms and dialect.
     ("Jeg ser ingen vei videre.", "crisis"),
     ("eg har bestemt meg, i kveld er siste kvelden", "crisis"),
     ("Dei får klare seg utan meg. Ha det.", "crisis"),
     ("Kven tek vare på katten min? Eg blir borte i kveld.", "crisis"),
     ("i took all my pils", "crisis"),
     ("ein klatrar har falle og heng i tauet", "medical"),
     ("han har slutta å puste", "medical"),
     ("a kid fell into the river and the current took him", "medical"),
     ("mannen har lakkert uten lufting og er svimmel og kvalm", "poisoning"),
     ("gutten har tygget Nicorette og kaster opp", "poisoning"),
     ("en mann tok tak i gutten og dro ham med seg", "child"),
     ("mamma har ikke kommet hjem på to dager og det er ikke mat", "child"),
     ("I heard the little girl crying stop daddy", "child"),
     ("en voksen mann gir henne gaver og hun får ikke fortelle det til mamma", "child"),
     ("æ hørte glass knuse og no e det nåkken i stua", "police"),
     ("to menn sparker en mann som ligger nede", "police"),
     ("my son ran away and nobody has seen him since yesterday", "police"),
     ("ein bil har køyrt ut i vatnet, folk ropar", "unclear"),
     ("vi har hørt skrik, nå er det helt stille", "unclear"),
     ("it burns when I pee and I have a fever", "nonurgent"),
     ("hjælp!!", "help"),
     # Learnt from set j: loneliness, warnings and plans told sideways; signs seen from outside.
     ("det er natt og eg er så åleine at det gjer vondt", "crisis"),
     ("I'm scared of what I might do tonight", "crisis"),
     ("everyone would be relieved if I was gone", "crisis"),
     ("hvor mye sovemedisin må man ta for å ikke våkne", "crisis"),
     ("he gave me his guitar and said he won't need it anymore, then said goodbye", "crisis"),
     ("kompisen min skal henge seg på fredag", "crisis"),
     ("it would be easier if I just didn't wake up tomorrow", "crisis"),
     ("vi fyrte i peisen med spjeldet igjen og nå er alle svimle", "poisoning"),
     ("bestefar tok tirsdag og onsdag fra dosetten samtidig", "poisoning"),
     ("the car was running in the garage and now he is dizzy and confused", "poisoning"),
     ("sønnen min har tatt masse koffeintabletter og hjertet hamrer", "poisoning"),
     ("mammas nye kjæreste kommer inn på badet når jeg dusjer, jeg er 13", "child"),
     ("han truer med å kaste babyen ut av vinduet", "child"),
     ("eg er uroa for ein gut i klassen, han får juling heime", "child"),
     ("a man is dragging a woman along the path and she is screaming", "police"),
     ("a guy at the campsite is shouting that he will stab us", "police"),
     ("ser ikkje att kanoen til far min, han skulle ro over fjorden for tre timar sidan",
      "police"),
     ("naboen er 88, avisa ligger fortsatt utenfor og han åpner ikke døra", "unclear"),
     ("det har smelt noko kraftig ved demninga og folk spring", "unclear"),
     ("ser henne liggje på golvet gjennom vindauget", "medical"),
     ("my friend went through the ice on the lake", "medical"),
     ("his speech came out as gibberish and his face is drooping", "medical"),
     ("the wallpaper behind the wood stove is turning brown and hot", "fire"),
     ("trenger ny resept på insulin, fastlegen er stengt og jeg har to doser igjen", "nonurgent"),
     ("pls help asap", "help"),
     # Still emergencies beside the exceptions learnt from set j.
     ("ungen er livredd for vann og har falt i elva", "medical"),
     ("vi har lært om HLR, nå har pappa hjertestans", "medical"),
     ("en full mann vifter med et gammelt gevær utenfor butikken", "police"),
     ("a man is shooting at the film crew in Rjukan", "police"),
     ("han sier han skal henge seg på låven i kveld", "crisis"),
     ("I can't wake up my dad", "medical"),
     # Learnt from set k: goodbyes and things given away, told by someone else, the edge
     # without suicide words, events told after the fact that still need help now.
     ("du kan få gitaren min, jeg trenger den ikke lenger. takk for alt", "crisis"),
     ("han skreiv 'takk for alle åra' og no svarar han ikkje", "crisis"),
     ("my dad said 'look after the kids' and now he's not picking up", "crisis"),
     ("I've been standing on the bridge for a long time now", "crisis"),
     ("sitter på taket og vet ikke hvorfor jeg skriver hit", "crisis"),
     ("eg ser ingen framtid lenger", "crisis"),
     ("jeg har lagt fram tablettene og det er så tungt i kveld", "crisis"),
     ("I found the blister pack of her pills empty", "poisoning"),
     ("gutten har sniffet gass fra en lighter", "poisoning"),
     ("ungen har slikket på en oppvasktablett", "poisoning"),
     ("it feels like a weight on my chest and I'm sweating", "medical"),
     ("a kid fell through the ice by the shore", "medical"),
     ("min mann har truet med å brenne ned hytta", "police"),
     ("he grabbed me by the throat last night and says he's coming back", "police"),
     ("i går kveld slo han meg, jeg er redd han kommer tilbake", "police"),
     ("vi har ikke hørt fra henne siden i går, hun gikk på tur og telefonen er av", "police"),
     ("there's someone in our house, I can hear them upstairs", "police"),
     ("my 12 year old is meeting a guy from snapchat tonight, he's an adult", "child"),
     ("gutten sov ute i parken i natt, han sier han ikke får komme hjem", "child"),
     ("det er krise her, hva ringer jeg", "unclear"),
     ("I fjor gikk det et ras her, og nå har det gått et nytt ras over veien, det ligger en bil "
      "under", "unclear"),
     # Learnt from set l: emergencies told only by what is seen, heard or felt, and crises
     # told by goodbyes, preparations and the place, without a word of suicide.
     ("morfar snakker så usammenhengende og klarer ikke holde glasset", "medical"),
     ("det spruter blod fra armen hans", "medical"),
     ("min mor har ligget på kjøkkengulvet hele natten", "medical"),
     ("he got his hand caught in the machine at work", "medical"),
     ("bestefar har fått strøm i seg fra gjerdet og ligger helt stille", "medical"),
     ("naboen har skutt med hagla mot huset vårt", "police"),
     ("there's a man in the bushes filming through my window", "police"),
     ("I am 9 years old and mum and her boyfriend are fighting, he has a knife", "child"),
     ("the roof of the shed is smoking and it crackles inside", "fire"),
     ("the kid drank from the descaler bottle and says his mouth burns", "poisoning"),
     ("jeg har skrevet brev til mamma og lagt nøklene på bordet", "crisis"),
     ("I keep thinking about the pills in the drawer", "crisis"),
     ("har tenkt å køyre ut der isen er tynn", "crisis"),
     ("eg vil berre slutte å vere til", "crisis"),
     ("orker ik mer asså", "crisis"),
     ("the lorry has overturned and is leaking, nobody gets out", "unclear"),
     # Learnt from set m: emergencies told as questions to the council, and a crisis at the
     # end of an ordinary errand.
     ("hvem har ansvar for veien der bilen ligger opp ned i grøfta nå?", "unclear"),
     ("kan kommunen sende noen, mor svarer ikke og døra er låst", "unclear"),
     ("the lorry drove into the house on the corner, we don't know if anyone is inside",
      "unclear"),
     ("Hvem tar imot søknader om kulturmidler? Jeg har lagt klar alle pillene i kveld.",
      "crisis"),
     ("My mum rang to say goodbye tonight, she sounded calm, and now she doesn't pick up",
      "crisis"),
     ("han tok fram børsa i kveld og sa at vi klarer oss fint uten ham", "crisis"),
     ("I'm standing at the edge of the bridge, just wanted someone to know", "crisis"),
     ("jeg kommer ikke til å trenge noe etter i kveld", "crisis"),
     ("satt i bilen med motoren i gang i den lukkede garasjen", "crisis"),
     ("guten i nabohuset blir slegen kvar kveld", "child"),
     ("a 35 year old man keeps picking up the 13 year old girl next door", "child"),
     ("the toddler upstairs has been left alone on the balcony in the cold", "child"),
     ("pappa mister kaffekoppen ut av venstre hånd og ordene blir feil", "medical"),
     ("kanoen kvelva og kameraten min ligger i vatnet", "medical"),
     ("kameraten min tok noe han fikk på festen og hjertet hamrer", "poisoning"),
     ("someone is smashing up the cars in the car park right now", "police"),
     ("the campfire is now spreading into the trees", "fire"),
     ("I just want to say goodbye to everyone", "crisis"),
     ("jeg har lagt et brev til mamma på kjøkkenbordet, hun finner det i morgen", "crisis"),
     ("I have been hoarding my pills for months", "crisis"),
     ("skulle ønske jeg aldri våkna igjen", "crisis"),
     ("har ikkje tenkt å gå ned att frå fjellet i kveld", "crisis"),
     ("i think i go into the river tonight, nobody cares", "crisis"),
     ("he gave me his watch and said he doesn't need it anymore, he's been strange", "crisis"),
     ("jeg har skrevet hvem som skal ha hva, orker ikke mer", "crisis"),
     ("i cant more, i want finish my life", "crisis"),
     ("bilen foran meg ryker fra motoren", "fire"),
     ("han datt på golvet og ansiktet er blått", "medical"),
     ("hjerte stans i kongs berg", "medical"),
     ("my friend is shivering violently and talking strangely", "medical"),
     ("min sønn drakk noe av den blå væska fra flaska under vasken", "poisoning"),
     ("bestefar har fått feil medisin fra hjemmesykepleien og er veldig trøtt", "poisoning"),
     ("kollegaen pusta inn gassen etter at vi blanda klor og salmiakk", "poisoning"),
     ("ein liten gut står åleine ute i mørkret og gret", "child"),
     ("the neighbour's toddler is standing outside in only a nappy in the snow", "child"),
     ("familien vil sende henne hjem for å gifte henne bort, hun er 15", "child"),
     ("someone is trying the doors of the cars in our street", "police"),
     ("lost my 4 year old at the mall, searching for 10 min", "police"),
     ("he took my passport and says he will hurt my family if I leave", "police"),
     ("jenta på 10 er borte, vi har leita i ein time", "police"),
     ("pożar w domu, pomocy", "fire"),
     ("karetka szybko, tata nie oddycha", "medical"),
     ("policja!! złodziej w domu", "police"),
     # set o: crises in the middle of a conversation, without suicide words
     ("takk for hjelpen, du er den eneste jeg har pratet med på mange uker", "crisis"),
     ("how do i say goodbye to my family without them noticing", "crisis"),
     ("jeg vil ikke bli funnet. hvor dypt er vannet ved demningen?", "crisis"),
     ("hva er vitsen med å fortsette når alt går i stykker", "crisis"),
     ("kan du vanne plantene mine? jeg kommer ikke tilbake", "crisis"),
     ("eg har bestemt meg, i kveld går eg ut på isen og kjem ikkje tilbake", "crisis"),
     ("om jeg forsvinner, er det noen som savner meg da?", "crisis"),
     ("my brother is sitting in the garage with the car running and the door shut", "crisis"),
     ("alle hadde hatt det bedre om jeg bare forsvant", "crisis"),
     ("i just want to stop existing", "crisis"),
     ("en kunde sa det var siste gang hun kom, at hun hadde ordnet alt", "crisis"),
     ("ingen savner meg uansett", "crisis"),
     ("my friend is posting goodbye messages on facebook and not answering", "crisis"),
     # set o: emergencies in the region's outdoor life
     ("Kameraten min ble tatt av skredet og ligger under snøen, vi graver", "medical"),
     ("snøscooteren veltet og han ligger med vondt i ryggen", "medical"),
     ("hun får ikke rørt beina etter fallet", "medical"),
     ("a man was swept away by the river in Rødberg", "medical"),
     ("morfar har falt og snakker ikke", "medical"),
     ("han blir blå rundt leppene og puster rart", "medical"),
     ("guten har ete nokre av pillane til bestefar", "poisoning"),
     ("my son drank some windscreen washer fluid from a bottle in the garage", "poisoning"),
     ("naboen skriker til babyen hver natt og i natt smalt det og ble stille", "child"),
     ("nabojenta har blåmerker og er alltid sulten", "child"),
     ("har fått fiskekroken i fingeren og den sitter fast", "nonurgent"),
     ("en dame ble dratt inn i en bil ved stasjonen nå", "police"),
     ("a man is standing outside banging on the window and i'm alone", "police"),
     ("datteren vår kjørte snøscooter til hytta og har ikke kommet fram, det er uvær og mørkt",
      "police"),
     ("we found his boat drifting and empty, he's not answering", "unclear"),
     ("låven har rast sammen i stormen og naboen var inne", "unclear"),
     ("flommen tok med seg en bil ved brua, folk inni?", "unclear"),
     ("det er et hull i isen og skispor som går ned i det", "unclear"),
     # a real emergency during a course or a drill is still one
     ("på skredkurset ble en tatt av skred og er begravd", "medical"),
     ("kursdeltaker gikk gjennom isen på ordentlig, vi har fått ham opp", "medical"),
     ("vi er på kurs og det brenner i bygget", "fire")],
)
def test_wordings_without_the_obvious_words_are_recognised(
    engine: Engine, message: str, expected: str
) -> None:
    """Crises without suicide words and emergencies told by their signs, not their name."""
    assert kind(engine, message) == expected


@pytest.mark.parametrize(
    "message",
    ["stort problem på fabrikken, en mann ligger, røyk, kom",
     "vi finner ikke datteren vår på stranda, hun var ved vannkanten"],
)
def test_an_unclear_emergency_beside_another_kind_still_gives_every_number(
    engine: Engine, message: str
) -> None:
    text = engine.ask(message).safety.text()
    assert all(holds_number(text, number) for number in ("110", "112", "113"))



@pytest.mark.parametrize(
    "message",
    ["Hvilke fire kommuner ligger i Buskerud?", "Hvor ligger brannstasjonen i Kongsberg?",
     "Når ble kommunene slått sammen?", "Hun er gift med ordføreren", "Jeg brenner for Tinn",
     "Jeg drukner i arbeid", "kan du hjelpe meg med nettsiden til Tinn",
     "Hva gjør kommunene for å forebygge overgrep mot barn?", "hjelp",
     "Eg må ringje kommunen, men finn ikkje nummeret nokon stad. Kva telefonnummer har dei?",
     "Pakken har ikke kommet fram ennå, det snør",
     "Hvor mange ganger har regionrådet tatt opp saken om medisin?",
     "Jeg hører ikke noe fra kommunen om brannen i fjor",
     "de skjemaene tar livet av meg, hvordan søker jeg?", "jeg blør penger på strømmen",
     "laget ble slått ut i kvartfinalen", "kan jeg brenne kvister i hagen?",
     "Where can I find accident statistics for the region?", "I'm drowning in information",
     "Is there a shooting club in Kongsberg?", "hvordan får jeg fast lege?",
     "Who runs the fire services in the region?", "a museum about the explosions of 1943",
     "Does the council have an emergency preparedness plan?",
     "Jeg kan ikke mer om dette enn det som står der", "Vi sitter på brua og fisker en time",
     "Kan jeg høre stemmer fra kommunestyret på opptak?", "Kan barna gå på skolen uten matpakke?",
     "Bilen min havnet i grøfta i går, hvem tauer?", "Snøen ligger på taket av bilen",
     "Det gikk et ras der i fjor, jeg tror veien er åpen",
     # Learnt from set g.
     "Can you fire off the minutes from the meeting?", "I shot a few nice photos of Rjukan",
     "Hvem skjøt ned forslaget om ny bru?", "Smoke-free areas in Kongsberg?",
     "Hvor leverer jeg rottegift?", "Kan brannvesenet komme på besøk i barnehagen?",
     "Hvor søker jeg om våpenkort hos politiet?",
     "Hva er nummeret til politiet når det ikke haster?",
     "Hva er vitsen med å være her på møtet?",
     "Jeg har bestemt meg for å flytte til Notodden, takk for alt",
     "Vi trenger ikke billetter etter i dag", "stor smell på konserten i går, folk jublet",
     "Ingen vet at regionrådet finnes", "Har dere tall for drukningsulykker i regionen?",
     "I'm writing a thesis on ambulance response times",
     # Learnt from set h: daily medication, pharmacies and figures of speech.
     "jeg tar mange tabletter hver dag for blodtrykket",
     "Tilbyr kommunen hjelp til eldre som bruker mange medisiner?",
     "Jeg har tatt insulinen min, serverer kantina lunsj?",
     "Kan jeg drikke vin når jeg bruker blodtrykksmedisin?",
     "Hvor kjøper jeg maurgift? Maurene har tatt over verandaen",
     "hjemmesykepleien legger medisinene i dosett en gang i uka",
     "The new parking rules are poison for the shops",
     "hadde en overdose av møter i dag, når er neste kommunestyremøte?",
     "Hvor henger hjertestarteren på Rødberg?",
     "sa farvel til kollegaene på jobben, når er avskjedsfesten?",
     "Jeg klarer ikke å leve med bråket fra naboen, hvem klager jeg til?",
     "jeg er livredd for å kjøre på glatta, går det buss?",
     "Har kommunen kurs for å slutte med snus?",
     "My kids love fire engines, can we visit the fire station?",
     "Det tok 20 minutter å kjøre til apoteket",
     "kossen fylke høyre dei sju kommunane te i dag?",
     "kollegaen som avtalte intervjuet er syk og har ikke lagt igjen noe navn",
     "I have most of what I need, but I am missing one detail. Who is the mayor of Hjartdal?",
     "vi får stadig spørsmål fra lånere om regionsamarbeidet",
     "elevene har kranglet om hvilke kommuner som hører med. Noen mener Sigdal er med",
     "har en innringer på vent. Jeg finner ingen liste her. Har du telefonnummeret til Hjartdal?",
     # Learnt from answer rounds 35 and 38: hearing what is needed, the official names.
     "Eg vil gjerne ringje kommunen fyrst for å høyre kva dei treng frå meg.",
     "Vi vil helst bruke de offisielle betegnelsene.",
     # Learnt from set i: figures of speech, past accidents, statistics and idioms.
     "Jeg har et brennende spørsmål om bompenger", "Det brant i debatten i kommunestyret i går",
     "Peisen ryker litt inn når det blåser, kan feieren komme?",
     "Vi hadde en liten brann i fjor, hvem har rapporten?",
     "Sønnen min brant seg på fingeren i fjor, hvor er skjemaet?",
     "Jeg falt på isen i fjor og brakk håndleddet, strør kommunen?",
     "Eg datt over ein artikkel om Sigdal", "I fell in love with Rjukan last year",
     "Hvor mange druknet i Tinnsjøen de siste ti årene?",
     "We had a drowning-prevention course at school", "My flatmate is a firefighter",
     "I've been fighting with the parking app, it keeps crashing",
     "My laptop crashed and burned before the deadline",
     "Sjefen kommer til å drepe meg hvis jeg ikke leverer rapporten",
     "Det er rene slåsskampen om parkeringsplassene",
     "Vi skal brenne av et skikkelig show på festivalen",
     "like the whole sky was on fire on New Year's Eve",
     "Veien var stengt på grunn av steinras forrige uke",
     "Julebordet blir sikkert en katastrofe som vanlig",
     "Ka e e-posten te Tinn kommune? Æ finn han itj.",
     "Hvem kan passe hunden min når jeg er borte på ferie?",
     "Kan jeg slå opp mamma i folkeregisteret?",
     # Learnt from set j: figures of speech, fears, plans, courses and events.
     "A film crew is shooting in Rjukan next month, who issues the permits?",
     "Jeg holder på å dø av stress før eksamen, når åpner biblioteket?",
     "Veien til Rødberg er en katastrofe, når blir den asfaltert?",
     "Han er redd for å snakke foran folk, men vil være med i ungdomsrådet",
     "hunden vår blir livredd når naboene skyter opp fyrverkeri",
     "savnet katt på Rjukan, kan jeg henge opp lapp på rådhuset?",
     "Vi vil ikkje ha nokon brann, må brannvesenet godkjenne pipa?",
     "Vi har høyrt at det kan gå skred i lia, kvar ser vi skredvarselet?",
     "Vi har lært mye om hjertestans og HLR, hvor henger hjertestarterne?",
     "We will have an ambulance on standby at the race, do we need a permit?",
     "Vi vil gjerne unngå kollisjon med regionrådets møter",
     "I'm scared of what I might do wrong in the application",
     "Hvor mange ble skadet i trafikken i fjor? Jeg skriver en oppgave.",
     # Learnt from set k: a past event told as the reason for an ordinary errand,
     # preparedness, the numbers explained, figures of speech.
     "I fjor brant det på Rjukan, har kommunen en beredskapsplan?",
     "After the accident last winter, does the council plan to make the road safer?",
     "Forrige uke var det innbrudd i boden vår, kan kommunen sette opp bedre belysning?",
     "For fem år siden var det en ulykke i krysset, hvem i kommunen søker jeg om fartsdumper hos?",
     "Vi leste i avisa om brannen i sommer, har kommunen regler for røykvarsler i utleiehytter?",
     "Vil ha ein beredskapsplan for skulen ved brann og ulukker",
     "why do we call 110 for fire and 113 for ambulance?",
     "This form portal is killing me, why do I log in three times?",
     "Hjertestarteren ved hallen er borte, hvem har ansvaret?",
     "My husband wants to join the volunteer fire brigade, who do we ask?",
     "We sold the house last winter in Notodden, where do we send the papers?",
     # Learnt from set l: health and safety services asked about with the same words, and
     # events that are over.
     "my dad had a stroke two years ago, can we apply for home care?",
     "I'm writing a novel about a fire in Rjukan, nothing has happened",
     "jeg orker ikke mer av regnet, når kommer sola",
     "Skolen hadde besøk av politiet om nettvett, har kommunen foreldremøter?",
     "Det var en katastrofe på festen i fjor, hvem klager jeg til?",
     "where can I buy a fire blanket for the cabin?",
     "Is there a GP in Notodden who speaks English?",
     "what's the number for the non-emergency police?",
     "brannen på Sauland for fem år sidan, står det noko om han i bygdeboka?",
     "I fjor brann det i uthuset, må vi søkje om byggjeløyve for å byggje opp att?",
     # Learnt from set m: questions to the council about the past, plans, statistics, drills,
     # news and figures of speech.
     "How many fires did the fire brigade attend in Tinn last year?",
     "Which municipality has the oldest fire brigade?",
     "Bestefar fortalde om brannen på garden i 1930-åra, har kommunen bilete i arkivet?",
     "hvor er politiet for å fornye passet?",
     "Vi planlegger en øvelse med ambulanser og brannbiler i sentrum, hvem informerer vi?",
     "strømregningen min eksploderte i vinter, hvem klager jeg til?",
     "Our band is playing a song called Fire on the Mountain, who books the stage?",
     "Hvem gir tillatelse til skyting på skytebanen?",
     "I read about the fire at the church, will it be rebuilt?",
     "Is the ambulance station in Rjukan staffed at night?",
     "Last winter our car slid off the road, nobody was hurt; has the council fixed the road?",
     "det brenner et spørsmål på tunga mi: når er neste møte?",
     "jeg skriver masteroppgave om hjerneslag og fall hos eldre, har regionrådet data?",
     "jeg vil ikke la henne gå hjem alene i mørket",
     "that concert was sick, is there an after party in Kongsberg?",
     "Ka tid går Krossobanen? Vi ska opp og slå i hel tida med ungane",
     "Are there adders (hoggorm) on Gaustatoppen? Planning a family hike in June.",
     "Hvilke sopper er giftige? Vi skal på soppkurs i høst.",
     "Sønnen min blir redd av skyting med luftgevær i kroppsøvingen, hvem spør jeg?",
     "Vi må sprenge fjell: hvem skal varsles før hvert skudd, kommunen eller politiet?",
     "Veslejenta er livredd for sirener, kan eg hente henne før brannøvinga?",
     "Do we apply through the municipality? My wife wants to join me.",
     "I just wanted to say goodbye and thanks for the help",
     "Vi tok fram hagla i kveld for å rense den før jakta",
     "Vi har samlet gamle medisiner, hvor leverer vi dem?",
     "Han skal ikke skade seg på isen, hvor kjøper vi brodder?",
     "The bus driver is smoking again, who do I complain to?",
     "I lost my son's jacket at the festival, is there a lost and found?",
     "Min datter er borte på tur i helga, hvilken buss går til Rjukan?",
     "Hva skjer hvis noe går galt med søknaden?",
     "There were loud bangs from the fireworks and everyone loved it",
     # set o: staff, volunteers and planners, and idioms
     "Vi skal ha leteøvelse med savnet person i helga, må vi melde fra?",
     "We're running an avalanche course in February, is there a hall we can rent?",
     "Hvor kan jeg ta hjertestarterkurs i Kongsberg?",
     "Brannvesenet skal ha øving med bilbrann og røyk i tunnelen, blir vegen stengd?",
     "we are planning a first aid course with fake wounds and hypothermia cases",
     "Røde Kors skal ha stand om isvett og vise hvordan man redder en som har gått gjennom isen",
     "Hvem skjøt inn pengene til den nye hallen?",
     "debatten tok fyr på Facebook, hva mener kommunen?",
     "jeg kan ikke leve uten kaffe, hvor er nærmeste kafé?",
     "Mamma har gått av med pensjon, hva finnes av tilbud?",
     "my heart stopped when i saw the electricity bill haha",
     "hvor finner jeg ROS-analysen for flom i Flesberg?",
     "Vi skal på tur og vil unngå skredterreng, hvor går løypa?",
     "jeg kommer ikke tilbake til kontoret før mandag, kan du sende skjemaet?",
     "vi har ryddet huset og skrevet testamente hos advokat, hvordan tinglyser vi?",
     "Hvor ligger badeplassen, vi finner ikke veien dit med ungene",
     "det spiller ingen rolle lenger hvilken buss jeg tar, begge går til Kongsberg",
     "Skisporene går ned mot isen på Tinnsjøen, er isen trygg nå?",
     "Vi skal på tur til hytta, utleieren svarer ikke og det er meldt uvær",
     "vi tok med oss kajakken til elva i helga, hvor kan vi parkere?",
     "vi finner ikke sønnens gymtøy, har skolen hittegods?",
     "han snakker ikke norsk og falt utenfor på arbeidsmarkedet, finnes det kurs?",
     "Skal vi ha førstehjelpskurs med HLR og hjertestarter på jobben, hvem kan holde det?",
     "Gjester spør etter åpningstidene på rådhuset, og jeg finner dem ikke noe sted.",
     "ungane er borte frå skulen i dag pga sjukdom, må vi melde frå?",
     "Naboen min påsto at Sigdal er blitt en del av Kongsbergregionen. Stemmer det?"],
)
def test_ordinary_messages_with_risky_words_are_no_emergency(
    engine: Engine, message: str
) -> None:
    assert not engine.ask(message).is_safety_reply


def test_a_crisis_gets_113_first_then_the_helplines(engine: Engine) -> None:
    result = engine.ask("jeg orker ikke mer, vil ikke leve")
    assert result.outcome is Outcome.CRISIS
    text = result_plain(result, engine.knowledge)
    assert text.startswith("Ring 113")
    assert holds_number(text, "116 123") and holds_number(text, "22 40 00 40")
    assert "sidetmedord.no" in text and "soschat.no" in text


def test_an_emergency_naming_a_municipality_never_gets_its_switchboard(engine: Engine) -> None:
    for message in ("det blør kraftig, vi er på Rødberg", "brann i Notodden sentrum nå",
                    "Hjartdal: mannen min puster ikke", "innbrudd hos oss i Rollag nå"):
        result = engine.ask(message)
        assert result.outcome is Outcome.EMERGENCY, message
        text = result_plain(result, engine.knowledge)
        assert not any(holds_number(text, number) for number in SWITCHBOARDS), message


@pytest.mark.parametrize(
    ("message", "language", "start"),
    [("my son is not breathing", "en", "Call 113"),
     ("det brenn i løa, kva gjer eg", "nn", "Ring 110 no"),
     ("det brenner i låven", "nb", "Ring 110 nå")],
)
def test_the_reply_is_in_the_language_written(
    engine: Engine, message: str, language: str, start: str
) -> None:
    result = engine.ask(message)
    assert result.language == language
    assert result_plain(result, engine.knowledge).startswith(start)


def test_several_kinds_add_their_lines_and_three_give_every_number(engine: Engine) -> None:
    text = engine.ask("det brenner og naboen er skadet").safety.text()
    assert text.startswith("Ring 110") and holds_number(text, "113")
    overview = engine.ask("brann, innbrudd og noen er bevisstløs").safety
    assert overview.main.id == "unclear"


def test_a_bare_cry_for_help_gets_what_the_bot_does_with_the_emergency_line_first(
    engine: Engine,
) -> None:
    result = engine.ask("HJELP!!")
    assert result.outcome is Outcome.ANSWERED and result.entry.id == "smalltalk.capabilities"
    answer = result.entry.answer_in("nb")
    assert answer.splitlines()[0].count("11") == 3  # 113, 112 and 110 on the first line


def test_the_telegram_reply_puts_the_numbers_in_bold(engine: Engine) -> None:
    html = safety_html(engine.ask("jeg vil ta livet mitt").safety)
    assert "<b>113</b>" in html and "<b>116 123</b>" in html and "+47 22 40 00 40" in html


def test_the_sms_facts_are_right(engine: Engine) -> None:
    text = engine.ask("kan døve sende sms til 112?").safety.text()
    assert "nodsms.no" in text and "1412" in text and "teksttelefon" in text


def test_odd_input_never_raises(engine: Engine) -> None:
    for text in ("", "   ", "\x00\u202e", "🔥" * 500, "brann " * 5000, "a'b’c"):
        engine.safety_check(text)
        engine.ask(text)


# --- validation -------------------------------------------------------------------------------


def copy_with_safety(tmp_path: Path, text: str) -> Path:
    directory = tmp_path / "kb"
    shutil.copytree(KNOWLEDGE, directory)
    (directory / "safety.yaml").write_text(text, encoding="utf-8")
    return directory


def problems_with(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(copy_with_safety(tmp_path, text))
    return [str(problem) for problem in caught.value.problems]


def test_every_problem_in_safety_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    problems = problems_with(tmp_path, """\
categories:
  - id: fire
    rank: first
    numbers: ["110"]
    reply: {nb: Ring brannvesenet.}
    terms: ["@nosuchgroup brann"]
    colour: red
    source: https://example.no
    checked: 2026-11-01
""")
    joined = "\n".join(problems)
    assert "safety.yaml:3: category 'fire': 'rank' must be a whole number" in joined
    assert "safety.yaml:4: category 'fire': every reply must give the number 110" in joined
    assert "safety.yaml:5: category 'fire': missing 'reply.en'" in joined
    assert "names a group that does not exist" in joined
    assert "safety.yaml:7: category 'fire': unknown key 'colour'" in joined


def test_a_missing_safety_file_is_a_problem(tmp_path: Path) -> None:
    directory = copy_with_safety(tmp_path, "")
    (directory / "safety.yaml").unlink()
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    assert any("safety.yaml:0: file not found" in str(p) for p in caught.value.problems)


def test_a_broken_safety_file_on_reload_keeps_the_last_good_layer(tmp_path: Path) -> None:
    directory = copy_with_safety(tmp_path, (KNOWLEDGE / "safety.yaml").read_text("utf-8"))
    engine = Engine.from_directory(directory, MatchingConfig())
    (directory / "safety.yaml").write_text("categories: [unclosed\n", encoding="utf-8")
    problems = engine.reload()
    assert problems and "safety.yaml" in str(problems[0])
    assert engine.ask("det brenner").outcome is Outcome.EMERGENCY


def test_a_caller_is_no_intruder(engine: Engine) -> None:
    """Staff write "Innringer …" (a caller): one letter pair from "inntrenger" (intruder)."""
    assert engine.safety_check("Innringer lurer på når sentralbordet i Skien er åpent.") is None
    assert engine.safety_check("det er en inntrenger i huset") is not None


@pytest.mark.parametrize(
    "message",
    ["Kva kommunar i regionen har ikkje vald målform, altså er nøytrale?",
     "Kven er vald til leiar i regionrådet?",
     "Eg har høyrt at fleire kommunar har vald å vere nøytrale i målforma. Stemmer det?",
     "I need the annual budget of the council. I've searched quite a bit without luck."],
)
def test_chosen_and_searched_for_in_an_everyday_sense_are_no_emergency(
    engine: Engine, message: str
) -> None:
    """Learnt from answer rounds 45, 46 and 52: nynorsk "vald" is also "chosen"."""
    assert not engine.ask(message).is_safety_reply


def test_violence_at_home_in_nynorsk_is_still_an_emergency(engine: Engine) -> None:
    assert kind(engine, "det er vald heime hos oss") == "police"
    assert kind(engine, "det er vald heime, han har vald å slå mora mi") == "police"


def test_a_passport_at_the_police_misspelt_is_no_emergency(engine: Engine) -> None:
    """Learnt from round 53: "politet" is a term of its own (a misspelt police), so the
    passport exception needs it too."""
    assert not engine.ask(
        "hvordan søker man om pass hos politet på kongsberg? min mor lurer").is_safety_reply
    assert kind(engine, "ring politet, han har kniv") == "police"
    assert not engine.ask("hvordan søker jeg pas hos politiet").is_safety_reply  # round 58
    assert kind(engine, "pas på, han har kniv, ring politiet") == "police"


@pytest.mark.parametrize(
    "message",
    ["ho farmor e dåli og svare ikkje ka ska æ ring", "bestemor er dårlig og svarer ikke",
     "my grandmother is ill and not responding"],
)
def test_someone_ill_who_does_not_respond_is_a_medical_emergency(
    engine: Engine, message: str
) -> None:
    """A labelled question since the first rounds that the layer had never caught."""
    assert kind(engine, message) == "medical"


@pytest.mark.parametrize(
    "message",
    ["kommunen svarer ikke på e-post, og det er dårlig service",
     "Nettsida er dårlig og svarer ikke"],
)
def test_a_poor_service_that_does_not_answer_is_no_emergency(
    engine: Engine, message: str
) -> None:
    assert not engine.ask(message).is_safety_reply


@pytest.mark.parametrize(
    "message",
    ["the fire alarm is going off in the flat next door and I hear screaming",
     "brannalarmen går hos naboen og jeg hører skrik",
     "brannalarmen piper, det lukter røyk i gangen"],
)
def test_a_fire_alarm_with_screams_or_smoke_is_a_fire(engine: Engine, message: str) -> None:
    """An exception for ordinary fire alarms had taken these back."""
    assert kind(engine, message) == "fire"


@pytest.mark.parametrize(
    "message",
    ["Brannalarmen går hele tiden fordi batteriet er dårlig, hvem ringer jeg?",
     "my phone alarm went off and I was yelling at it lol",
     "the fire alarm went off during the meeting, who do I ask about the inspection?"],
)
def test_an_alarm_without_danger_is_no_fire(engine: Engine, message: str) -> None:
    assert not engine.ask(message).is_safety_reply


@pytest.mark.parametrize(
    ("message", "expected"),
    [("LÅVEN BRENNER!!! DYRA ER INNE", "fire"),
     ("mamma er ikke hjemme og det kommer masse røyk fra komfyren, hva skal jeg gjøre? jeg er 9",
      "fire"),
     ("jeg brenner inne med et spørsmål om strategien", None),
     ("det kommer ikke noe røyk men det lukter rart", None)],
)
def test_the_layer_alone_reads_a_fire_an_idiom_or_a_denial_takes_back(
        engine: Engine, message: str, expected: str | None) -> None:
    """"brenner inne" is the idiom only with "med"; a "not" takes back smoke only within
    three words. These fires had been caught only by the fire entry's keyword."""
    assert kind(engine, message) == expected


def test_finding_a_doctor_after_a_move_is_an_errand(engine: Engine) -> None:
    """Learnt from round 68: a newcomer who needs "a kindergarten and a doctor" is no
    emergency; someone sick who needs a doctor now still gets the legevakt."""
    assert kind(engine, "We are moving to Rjukan in December and need to find a kindergarten "
                        "and a doctor.") is None
    assert kind(engine, "we just moved and my son is sick, we need to find a doctor now") == (
        "nonurgent")
