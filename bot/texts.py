"""What users read, in bokmål, nynorsk and English.

Every user-facing sentence that is not knowledge lives here, so wording is changed in one place.
`say(key, language, **values)` picks the language (nynorsk falling back to bokmål) and fills in
the values.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "suggest_intro": {
        "nb": "Jeg er ikke helt sikker på hva du mener. Mente du …?",
        "nn": "Eg er ikkje heilt sikker på kva du meiner. Meinte du …?",
        "en": "I am not quite sure what you mean. Did you mean …?",
    },
    "none_of_these": {
        "nb": "Ingen av disse",
        "nn": "Ingen av desse",
        "en": "None of these",
    },
    "unanswered": {
        "nb": "Det vet jeg dessverre ikke ennå.",
        "nn": "Det veit eg diverre ikkje enno.",
        "en": "I am sorry, I do not know that yet.",
    },
    "unanswered_logged": {
        "nb": "Spørsmålet ditt blir sendt videre til redaksjonen, slik at jeg kan svare bedre "
              "neste gang.",
        "nn": "Spørsmålet ditt blir sendt vidare til redaksjonen, slik at eg kan svare betre "
              "neste gong.",
        "en": "Your question is passed on to the editors so that I can answer better next time.",
    },
    "unanswered_municipality": {
        "nb": "I mellomtiden kan du kontakte {name} direkte: {contact}",
        "nn": "I mellomtida kan du kontakte {name} direkte: {contact}",
        "en": "Meanwhile, you can contact {name} directly: {contact}",
    },
    "unanswered_council": {
        "nb": "I mellomtiden finner du mer om Kongsbergregionen på {website}, og kommunen din "
              "svarer på spørsmål om egne tjenester. Skriv /hjelp for å se hva jeg kan svare på.",
        "nn": "I mellomtida finn du meir om Kongsbergregionen på {website}, og kommunen din svarer "
              "på spørsmål om eigne tenester. Skriv /hjelp for å sjå kva eg kan svare på.",
        "en": "Meanwhile, you will find more about Kongsbergregionen at {website}, and your "
              "municipality answers questions about its own services. Type /help to see what I "
              "can answer.",
    },
    "source": {
        "nb": "Kilde: {source} (sjekket {checked})",
        "nn": "Kjelde: {source} (sjekka {checked})",
        "en": "Source: {source} (checked {checked})",
    },
    "phone": {"nb": "Telefon", "nn": "Telefon", "en": "Phone"},
    "email": {"nb": "E-post", "nn": "E-post", "en": "E-mail"},
    "website": {"nb": "Nettside", "nn": "Nettside", "en": "Website"},
    "address": {"nb": "Adresse", "nn": "Adresse", "en": "Address"},
    "chat_welcome": {
        "nb": "Kongsbergregionen-assistenten (terminal). Skriv et spørsmål, eller «avslutt» for å "
              "slutte.",
        "nn": "Kongsbergregionen-assistenten (terminal). Skriv eit spørsmål, eller «avslutt» for å "
              "slutte.",
        "en": "Kongsbergregionen assistant (terminal). Type a question, or 'quit' to leave.",
    },
    "chat_pick": {
        "nb": "Svar med et tall for å velge.",
        "nn": "Svar med eit tal for å velje.",
        "en": "Answer with a number to choose.",
    },
}

COUNCIL_WEBSITE = "https://www.kongsbergregionen.no"


def say(key: str, language: str, **values: str) -> str:
    """The text `key` in `language` (nynorsk falls back to bokmål), with `values` filled in."""
    variants = TEXTS[key]
    text = variants.get(language) or variants["nb"]
    return text.format(**values) if values else text
