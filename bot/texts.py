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
    "source": {"nb": "Kilde", "nn": "Kjelde", "en": "Source"},
    "checked": {"nb": "sjekket {date}", "nn": "sjekka {date}", "en": "checked {date}"},
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
    "save_contact": {"nb": "📇 Lagre kontakt", "nn": "📇 Lagre kontakt", "en": "📇 Save contact"},
    "start": {
        "nb": "Hei{name}! Jeg er chat-assistenten til Regionrådet for Kongsbergregionen.\n"
              "Jeg svarer på hva regionsamarbeidet er, hvilke kommuner som er med, "
              "satsingsområdene og hvem du kan kontakte. Skriv et spørsmål, eller velg under.",
        "nn": "Hei{name}! Eg er chat-assistenten til Regionrådet for Kongsbergregionen.\n"
              "Eg svarer på kva regionsamarbeidet er, kva kommunar som er med, "
              "satsingsområda og kven du kan kontakte. Skriv eit spørsmål, eller vel under.",
        "en": "Hi{name}! I am the chat assistant of the Kongsbergregionen regional council.\n"
              "I answer what the regional cooperation is, which municipalities take part, its "
              "focus areas and whom to contact. Type a question, or choose below.",
    },
    "help": {
        "nb": "<b>Dette kan jeg hjelpe med</b>\n"
              "Skriv et spørsmål med egne ord, for eksempel «Hvilke kommuner er med?», "
              "«tlf notodden» eller «Hva er satsingsområdene?».\n\n"
              "/kommuner – medlemskommunene\n/satsinger – satsingsområdene\n"
              "/kontakt – kontaktinformasjon (f.eks. /kontakt tinn)\n"
              "/om – om regionrådet\n/hjelp – denne hjelpen\n\n"
              "I andre chatter kan du skrive @{bot} og et navn for å dele et telefonnummer.\n"
              "Ved fare for liv og helse: ring 113 (ambulanse), 112 (politi) eller 110 (brann).",
        "nn": "<b>Dette kan eg hjelpe med</b>\n"
              "Skriv eit spørsmål med eigne ord, til dømes «Kva kommunar er med?», "
              "«tlf notodden» eller «Kva er satsingsområda?».\n\n"
              "/kommuner – medlemskommunane\n/satsinger – satsingsområda\n"
              "/kontakt – kontaktinformasjon (t.d. /kontakt tinn)\n"
              "/om – om regionrådet\n/hjelp – denne hjelpa\n\n"
              "I andre chattar kan du skrive @{bot} og eit namn for å dele eit telefonnummer.\n"
              "Ved fare for liv og helse: ring 113 (ambulanse), 112 (politi) eller 110 (brann).",
        "en": "<b>What I can help with</b>\n"
              "Ask in your own words, for example \"Which municipalities take part?\", "
              "\"phone notodden\" or \"What are the focus areas?\".\n\n"
              "/municipalities – the member municipalities\n/focus – the focus areas\n"
              "/contact – contact details (e.g. /contact tinn)\n"
              "/about – about the regional council\n/help – this help\n\n"
              "In other chats, type @{bot} and a name to share a phone number.\n"
              "If life or health is in danger: call 113 (ambulance), 112 (police) or 110 (fire).",
    },
    "menu_municipalities": {"nb": "🏘 Kommunene", "nn": "🏘 Kommunane", "en": "🏘 Municipalities"},
    "menu_focus": {"nb": "🎯 Satsingsområder", "nn": "🎯 Satsingsområde", "en": "🎯 Focus areas"},
    "menu_contact": {"nb": "☎️ Kontakt", "nn": "☎️ Kontakt", "en": "☎️ Contact"},
    "menu_about": {"nb": "ℹ️ Om regionrådet", "nn": "ℹ️ Om regionrådet", "en": "ℹ️ About"},
    "menu_emergency": {"nb": "🚨 Nødnumre", "nn": "🚨 Naudnummer", "en": "🚨 Emergency"},
    "contact_pick": {
        "nb": "Hvilken kommune vil du kontakte?",
        "nn": "Kva kommune vil du kontakte?",
        "en": "Which municipality do you want to contact?",
    },
    "contact_unknown": {
        "nb": "Jeg fant ingen medlemskommune som heter «{name}». Velg en under:",
        "nn": "Eg fann ingen medlemskommune som heiter «{name}». Vel ein under:",
        "en": "I found no member municipality called \"{name}\". Choose one below:",
    },
    "text_only": {
        "nb": "Jeg leser bare tekst. Skriv spørsmålet ditt, så svarer jeg så godt jeg kan.",
        "nn": "Eg les berre tekst. Skriv spørsmålet ditt, så svarer eg så godt eg kan.",
        "en": "I only read text. Type your question and I will answer as best I can.",
    },
    "unknown_command": {
        "nb": "Den kommandoen kjenner jeg ikke. Skriv /hjelp for å se hva jeg kan.",
        "nn": "Den kommandoen kjenner eg ikkje. Skriv /hjelp for å sjå kva eg kan.",
        "en": "I do not know that command. Type /help to see what I can do.",
    },
    "stale_button": {
        "nb": "Denne knappen virker ikke lenger. Skriv spørsmålet ditt på nytt.",
        "nn": "Denne knappen verkar ikkje lenger. Skriv spørsmålet ditt på nytt.",
        "en": "This button no longer works. Please ask your question again.",
    },
    "feedback_thanks": {
        "nb": "Takk for tilbakemeldingen!",
        "nn": "Takk for tilbakemeldinga!",
        "en": "Thank you for the feedback!",
    },
    "none_thanks": {
        "nb": "Takk! Da vet jeg ikke svaret ennå. Spørsmålet ditt blir sendt videre til "
              "redaksjonen.",
        "nn": "Takk! Då veit eg ikkje svaret enno. Spørsmålet ditt blir sendt vidare til "
              "redaksjonen.",
        "en": "Thank you! Then I do not know the answer yet. Your question is passed on to the "
              "editors.",
    },
    "flood": {
        "nb": "Du sender veldig mange meldinger på kort tid. Vent litt, så svarer jeg igjen.",
        "nn": "Du sender svært mange meldingar på kort tid. Vent litt, så svarer eg igjen.",
        "en": "You are sending a lot of messages in a short time. Please wait a little, and I "
              "will answer again.",
    },
    "apology": {
        "nb": "Beklager, noe gikk galt hos meg. Prøv igjen om litt.",
        "nn": "Orsak, noko gjekk gale hjå meg. Prøv igjen om litt.",
        "en": "Sorry, something went wrong on my side. Please try again shortly.",
    },
    "no_contact_card": {
        "nb": "Her har jeg ikke noe telefonnummer å lagre.",
        "nn": "Her har eg ikkje noko telefonnummer å lagre.",
        "en": "There is no phone number to save here.",
    },
    "inline_hint": {
        "nb": "Skriv et kommunenavn eller et spørsmål",
        "nn": "Skriv eit kommunenamn eller eit spørsmål",
        "en": "Type a municipality or a question",
    },
}

COUNCIL_WEBSITE = "https://www.kongsbergregionen.no"


def say(key: str, language: str, **values: str) -> str:
    """The text `key` in `language` (nynorsk falls back to bokmål), with `values` filled in."""
    variants = TEXTS[key]
    text = variants.get(language) or variants["nb"]
    return text.format(**values) if values else text
