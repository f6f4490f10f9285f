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
    "phone_as_of": {
        "nb": "(nummer oppgitt i {year}, kan være endret)",
        "nn": "(nummer oppgitt i {year}, kan vere endra)",
        "en": "(number as given in {year}, may have changed)",
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
    "sources": {"nb": "Kilder", "nn": "Kjelder", "en": "Sources"},
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
              "Ved fare for liv og helse: ring 113 (ambulanse), 112 (politi) eller 110 (brann).\n\n"
              "Skriv et spørsmål med egne ord, for eksempel «Hvilke kommuner er med?», "
              "«tlf notodden» eller «Hva er satsingsområdene?».\n\n"
              "/kommuner – medlemskommunene\n/satsinger – satsingsområdene\n"
              "/kontakt – kontaktinformasjon (f.eks. /kontakt tinn)\n"
              "/om – om regionrådet\n/hjelp – denne hjelpen\n\n"
              "I andre chatter kan du skrive @{bot} og et navn for å dele et telefonnummer.",
        "nn": "<b>Dette kan eg hjelpe med</b>\n"
              "Ved fare for liv og helse: ring 113 (ambulanse), 112 (politi) eller 110 (brann).\n\n"
              "Skriv eit spørsmål med eigne ord, til dømes «Kva kommunar er med?», "
              "«tlf notodden» eller «Kva er satsingsområda?».\n\n"
              "/kommuner – medlemskommunane\n/satsinger – satsingsområda\n"
              "/kontakt – kontaktinformasjon (t.d. /kontakt tinn)\n"
              "/om – om regionrådet\n/hjelp – denne hjelpa\n\n"
              "I andre chattar kan du skrive @{bot} og eit namn for å dele eit telefonnummer.",
        "en": "<b>What I can help with</b>\n"
              "If life or health is in danger: call 113 (ambulance), 112 (police) or 110 "
              "(fire).\n\n"
              "Ask in your own words, for example \"Which municipalities take part?\", "
              "\"phone notodden\" or \"What are the focus areas?\".\n\n"
              "/municipalities – the member municipalities\n/focus – the focus areas\n"
              "/contact – contact details (e.g. /contact tinn)\n"
              "/about – about the regional council\n/help – this help\n\n"
              "In other chats, type @{bot} and a name to share a phone number.",
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
    "only_asker": {
        "nb": "Bare den som spurte kan svare her.",
        "nn": "Berre den som spurde kan svare her.",
        "en": "Only the person who asked can answer here.",
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
    "flood_inline": {
        "nb": "For mange søk på kort tid – vent litt",
        "nn": "For mange søk på kort tid – vent litt",
        "en": "Too many searches at once – please wait",
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
    "followup_offer": {
        "nb": "📨 Vil du ha svar fra redaksjonen her?",
        "nn": "📨 Vil du ha svar frå redaksjonen her?",
        "en": "📨 Would you like an answer from the editors here?",
    },
    "followup_consented": {
        "nb": "Takk! Når redaksjonen har svart, får du svaret her i chatten. Til da tar jeg vare "
              "på denne chatten sammen med spørsmålet ditt, og ikke noe mer: til svaret er sendt, "
              "eller i høyst {days} dager. Skriv /glem hvis du ikke vil ha svar likevel, så "
              "sletter jeg det med en gang.",
        "nn": "Takk! Når redaksjonen har svart, får du svaret her i chatten. Til då tek eg vare på "
              "denne chatten saman med spørsmålet ditt, og ikkje noko meir: til svaret er sendt, "
              "eller i høgst {days} dagar. Skriv /glem om du ikkje vil ha svar likevel, så slettar "
              "eg det med ein gong.",
        "en": "Thank you! When the editors have answered, you will get the answer here in this "
              "chat. Until then I keep this chat together with your question, and nothing more: "
              "until the answer is sent, or for at most {days} days. Send /forget if you no "
              "longer want an answer, and I will delete it at once.",
    },
    "followup_already": {
        "nb": "Du får allerede svar her når redaksjonen har svart. Skriv /glem for å slette det.",
        "nn": "Du får alt svar her når redaksjonen har svart. Skriv /glem for å slette det.",
        "en": "You will already get an answer here when the editors have answered. Send "
              "/forget to delete it.",
    },
    "followup_not_possible": {
        "nb": "Svar fra redaksjonen kan jeg bare ordne i en privat chat, for et spørsmål jeg "
              "ikke kunne svare på.",
        "nn": "Svar frå redaksjonen kan eg berre ordne i ein privat chat, for eit spørsmål eg "
              "ikkje kunne svare på.",
        "en": "I can only arrange an answer from the editors in a private chat, for a question I "
              "could not answer.",
    },
    "forget_done": {
        "nb": "Slettet. Jeg tar ikke lenger vare på denne chatten, og redaksjonen sender ikke "
              "svar hit.",
        "nn": "Sletta. Eg tek ikkje lenger vare på denne chatten, og redaksjonen sender ikkje "
              "svar hit.",
        "en": "Deleted. I no longer keep this chat, and the editors will not send an answer here.",
    },
    "forget_nothing": {
        "nb": "Jeg har ikke lagret denne chatten: du venter ikke på svar fra redaksjonen. "
              "Spørsmålene i loggen lagres uten navn, brukernavn eller chat.",
        "nn": "Eg har ikkje lagra denne chatten: du ventar ikkje på svar frå redaksjonen. "
              "Spørsmåla i loggen blir lagra utan namn, brukarnamn eller chat.",
        "en": "I have not kept this chat: you are not waiting for an answer from the editors. "
              "Questions in the log are kept without name, username or chat.",
    },
    "followup_answer_heading": {
        "nb": "Svar fra redaksjonen på spørsmålet ditt {question}:",
        "nn": "Svar frå redaksjonen på spørsmålet ditt {question}:",
        "en": "The editors' answer to your question {question}:",
    },
    "person_contact": {
        "nb": "Du når {name} her: {contact}",
        "nn": "Du når {name} her: {contact}",
        "en": "You can reach {name} here: {contact}",
    },
    "person_offer": {
        "nb": "Jeg kan også sende spørsmålet ditt til redaksjonen, så svarer en person deg her i "
              "chatten. Trykk på knappen under.",
        "nn": "Eg kan òg sende spørsmålet ditt til redaksjonen, så svarer ein person deg her i "
              "chatten. Trykk på knappen under.",
        "en": "I can also pass your question to the editors, and a person will answer you here "
              "in this chat. Press the button below.",
    },
}

# What editors read: /ubesvart, /statistikk, /eksport, /oppdater, the digest and the CLI.
EDITOR_TEXTS: dict[str, dict[str, str]] = {
    "review_title": {
        "nb": "Ubesvarte spørsmål – siste {days} dager",
        "nn": "Ubesvarte spørsmål – siste {days} dagar",
        "en": "Unanswered questions – last {days} days",
    },
    "review_summary": {"nb": "{groups}, {questions}.", "nn": "{groups}, {questions}.",
                       "en": "{groups}, {questions}."},
    "groups_one": {"nb": "{count} gruppe", "nn": "{count} gruppe", "en": "{count} group"},
    "groups_many": {"nb": "{count} grupper", "nn": "{count} grupper", "en": "{count} groups"},
    "questions_one": {"nb": "{count} spørsmål", "nn": "{count} spørsmål",
                      "en": "{count} question"},
    "questions_many": {"nb": "{count} spørsmål", "nn": "{count} spørsmål",
                       "en": "{count} questions"},
    "review_bounded": {
        "nb": "Viser de {shown} nyeste av {total} spørsmål, høyst {per_asker} fra hver "
              "avsender.",
        "nn": "Viser dei {shown} nyaste av {total} spørsmål, høgst {per_asker} frå kvar "
              "avsendar.",
        "en": "Showing the newest {shown} of {total} questions, at most {per_asker} from each "
              "sender.",
    },
    "review_held_back": {"nb": "+{count} fra samme avsender", "nn": "+{count} frå same avsendar",
                         "en": "+{count} from the same sender"},
    "review_page": {
        "nb": "Side {page} av {pages}.",
        "nn": "Side {page} av {pages}.",
        "en": "Page {page} of {pages}.",
    },
    "review_empty": {
        "nb": "Ingen åpne ubesvarte spørsmål de siste {days} dagene. 🎉",
        "nn": "Ingen opne ubesvarte spørsmål dei siste {days} dagane. 🎉",
        "en": "No open unanswered questions in the last {days} days. 🎉",
    },
    "review_line": {
        "nb": "{times} · {people} · sist {when}",
        "nn": "{times} · {people} · sist {when}",
        "en": "{times} · {people} · last {when}",
    },
    "times_one": {"nb": "{count} gang", "nn": "{count} gong", "en": "{count} time"},
    "times_many": {"nb": "{count} ganger", "nn": "{count} gonger", "en": "{count} times"},
    "people_one": {"nb": "{count} person", "nn": "{count} person", "en": "{count} person"},
    "people_many": {"nb": "{count} personer", "nn": "{count} personar", "en": "{count} people"},
    "review_also": {"nb": "Også: {variants}", "nn": "Òg: {variants}", "en": "Also: {variants}"},
    "review_ref": {"nb": "ID {ref}", "nn": "ID {ref}", "en": "ID {ref}"},
    "reason_unanswered": {"nb": "ubesvart", "nn": "ubesvart", "en": "unanswered"},
    "reason_disliked": {"nb": "👎", "nn": "👎", "en": "👎"},
    "reason_none": {"nb": "ingen passet", "nn": "ingen passa", "en": "none fitted"},
    "status_open": {"nb": "åpne", "nn": "opne", "en": "open"},
    "status_resolved": {"nb": "løst", "nn": "løyst", "en": "resolved"},
    "status_ignored": {"nb": "ignorert", "nn": "ignorert", "en": "ignored"},
    "button_resolve": {"nb": "✅ {number}. Løst", "nn": "✅ {number}. Løyst",
                       "en": "✅ {number}. Resolved"},
    "button_ignore": {"nb": "🙈 {number}. Ignorer", "nn": "🙈 {number}. Ignorer",
                      "en": "🙈 {number}. Ignore"},
    "button_variant": {
        "nb": "➕ {number}. Legg til som variant…",
        "nn": "➕ {number}. Legg til som variant…",
        "en": "➕ {number}. Add as a variant…",
    },
    "button_search": {"nb": "🔎 Søk", "nn": "🔎 Søk", "en": "🔎 Search"},
    "button_back": {"nb": "↩ Tilbake til listen", "nn": "↩ Tilbake til lista",
                    "en": "↩ Back to the list"},
    "marked_resolved": {
        "nb": "Markert som løst ({questions}).",
        "nn": "Markert som løyst ({questions}).",
        "en": "Marked as resolved ({questions}).",
    },
    "marked_ignored": {
        "nb": "Ignorert ({questions}).",
        "nn": "Ignorert ({questions}).",
        "en": "Ignored ({questions}).",
    },
    "group_gone": {
        "nb": "Denne gruppen er allerede behandlet.",
        "nn": "Denne gruppa er alt behandla.",
        "en": "This group has already been handled.",
    },
    "variant_title": {"nb": "Legg til som variant", "nn": "Legg til som variant",
                      "en": "Add as a variant"},
    "variant_prompt": {
        "nb": "Hvilken oppføring burde ha svart? De nærmeste står under. Finnes den ikke der, "
              "trykk «Søk» og skriv et søkeord.",
        "nn": "Kva oppføring burde ha svart? Dei næraste står under. Finst ho ikkje der, "
              "trykk «Søk» og skriv eit søkjeord.",
        "en": "Which entry should have answered? The closest are below. If it is not there, "
              "press “Search” and type a search.",
    },
    "search_prompt": {
        "nb": "Skriv et søkeord for oppføringen som burde ha svart på {question}, for eksempel "
              "«kontakt tinn».",
        "nn": "Skriv eit søkjeord for oppføringa som burde ha svart på {question}, til dømes "
              "«kontakt tinn».",
        "en": "Type a search for the entry that should have answered {question}, for example "
              "“contact tinn”.",
    },
    "search_results": {"nb": "Treff for {query}:", "nn": "Treff for {query}:",
                       "en": "Results for {query}:"},
    "search_none": {
        "nb": "Ingen oppføringer passet {query}. Trykk «Søk» og prøv et annet ord.",
        "nn": "Ingen oppføringar passa {query}. Trykk «Søk» og prøv eit anna ord.",
        "en": "No entries matched {query}. Press “Search” and try another word.",
    },
    "variant_preview_title": {"nb": "Lagre som variant?", "nn": "Lagre som variant?",
                              "en": "Save as a variant?"},
    "variant_preview": {
        "nb": "Dette blir lagret i learned.yaml som et spørsmål til «{entry}» ({entry_id}):",
        "nn": "Dette blir lagra i learned.yaml som eit spørsmål til «{entry}» ({entry_id}):",
        "en": "This is what will be saved in learned.yaml as a question for “{entry}” "
              "({entry_id}):",
    },
    "variant_edit_prompt": {
        "nb": "Svar på denne meldingen med ny tekst for å endre den, eller trykk «Lagre».",
        "nn": "Svar på denne meldinga med ny tekst for å endre han, eller trykk «Lagre».",
        "en": "Reply to this message with new text to change it, or press “Save”.",
    },
    "variant_fix_prompt": {
        "nb": "Svar på denne meldingen med en ny tekst som kan lagres, eller trykk «Avbryt».",
        "nn": "Svar på denne meldinga med ein ny tekst som kan lagrast, eller trykk «Avbryt».",
        "en": "Reply to this message with new text that can be saved, or press “Cancel”.",
    },
    "variant_problem_empty": {"nb": "Teksten er tom.", "nn": "Teksten er tom.",
                              "en": "The text is empty."},
    "variant_problem_too_long": {
        "nb": "Teksten er for lang (høyst 300 tegn).",
        "nn": "Teksten er for lang (høgst 300 teikn).",
        "en": "The text is too long (at most 300 characters).",
    },
    "variant_problem_placeholder": {
        "nb": "Teksten har en plassholder fra maskeringen, som [telefon]. Skriv spørsmålet slik "
              "en innbygger ville stilt det.",
        "nn": "Teksten har ein plasshaldar frå maskeringa, som [telefon]. Skriv spørsmålet slik "
              "ein innbyggjar ville stilt det.",
        "en": "The text has a placeholder from masking, such as [telefon]. Write the question "
              "as a resident would ask it.",
    },
    "variant_problem_personal": {
        "nb": "Teksten ser ut til å ha personopplysninger (telefonnummer, e-post, "
              "fødselsnummer). De skal ikke inn i kunnskapsbasen.",
        "nn": "Teksten ser ut til å ha personopplysningar (telefonnummer, e-post, "
              "fødselsnummer). Dei skal ikkje inn i kunnskapsbasen.",
        "en": "The text seems to hold personal data (a phone number, e-mail address or "
              "national identity number). It must not go into the knowledge base.",
    },
    "variant_expired": {
        "nb": "Dette forslaget er ikke lenger aktivt. Velg «Legg til som variant…» på nytt.",
        "nn": "Dette forslaget er ikkje lenger aktivt. Vel «Legg til som variant…» på nytt.",
        "en": "This proposal is no longer active. Choose “Add as a variant…” again.",
    },
    "button_save": {"nb": "💾 Lagre", "nn": "💾 Lagre", "en": "💾 Save"},
    "button_cancel": {"nb": "✖ Avbryt", "nn": "✖ Avbryt", "en": "✖ Cancel"},
    "variant_added": {
        "nb": "Lagt til som variant av {entry} ({entry_id}) i {file}, og kunnskapsbasen er "
              "lastet på nytt. {questions} er markert som løst.",
        "nn": "Lagt til som variant av {entry} ({entry_id}) i {file}, og kunnskapsbasen er "
              "lasta på nytt. Markert som løyst: {questions}.",
        "en": "Added as a variant of {entry} ({entry_id}) in {file}, and the knowledge base was "
              "reloaded. Marked as resolved: {questions}.",
    },
    "variant_exists": {
        "nb": "{entry} ({entry_id}) har allerede dette spørsmålet; filen er ikke endret. "
              "{questions} er markert som løst.",
        "nn": "{entry} ({entry_id}) har alt dette spørsmålet; fila er ikkje endra. "
              "Markert som løyst: {questions}.",
        "en": "{entry} ({entry_id}) already has this question; the file is unchanged. "
              "Marked as resolved: {questions}.",
    },
    "now_answered": {
        "nb": "Nå svarer boten på {question} med {entry}.",
        "nn": "No svarer boten på {question} med {entry}.",
        "en": "The bot now answers {question} with {entry}.",
    },
    "now_not_answered": {
        "nb": "Merk: boten svarer fortsatt ikke direkte på {question} (utfall: {outcome}). "
              "En annen oppføring ligner kanskje for mye, eller spørsmålet nevner en annen "
              "kommune.",
        "nn": "Merk: boten svarer framleis ikkje direkte på {question} (utfall: {outcome}). "
              "Ei anna oppføring liknar kanskje for mykje, eller spørsmålet nemner ein annan "
              "kommune.",
        "en": "Note: the bot still does not answer {question} directly (outcome: {outcome}). "
              "Another entry may be too similar, or the question names another municipality.",
    },
    "variant_failed": {
        "nb": "Kunne ikke legge til varianten: kunnskapsbasen fikk {count} feil, og endringen "
              "er angret.",
        "nn": "Kunne ikkje leggje til varianten: kunnskapsbasen fekk {count} feil, og endringa "
              "er angra.",
        "en": "Could not add the variant: the knowledge base had {count} errors, and the change "
              "was undone.",
    },
    "variant_unreadable": {
        "nb": "Kunne ikke legge til varianten: {error}",
        "nn": "Kunne ikkje leggje til varianten: {error}",
        "en": "Could not add the variant: {error}",
    },
    "reload_ok": {
        "nb": "Kunnskapsbasen er lastet på nytt: {entries} oppføringer, {questions} "
              "spørsmålsvarianter.",
        "nn": "Kunnskapsbasen er lasta på nytt: {entries} oppføringar, {questions} "
              "spørsmålsvariantar.",
        "en": "The knowledge base was reloaded: {entries} entries, {questions} question "
              "variants.",
    },
    "reload_failed": {
        "nb": "Kunnskapsbasen har {count} feil, så boten bruker fortsatt den forrige versjonen. "
              "Rett feilene og skriv /oppdater igjen:",
        "nn": "Kunnskapsbasen har {count} feil, så boten brukar framleis den førre versjonen. "
              "Rett feila og skriv /oppdater igjen:",
        "en": "The knowledge base has {count} errors, so the bot keeps using the previous "
              "version. Fix them and send /reload again:",
    },
    "more_problems": {
        "nb": "… og {count} til. `python -m bot check` viser alle.",
        "nn": "… og {count} til. `python -m bot check` viser alle.",
        "en": "… and {count} more. `python -m bot check` lists them all.",
    },
    "usage_days": {
        "nb": "Bruk: /{command} [dager], for eksempel /{command} 7 (1–3650).",
        "nn": "Bruk: /{command} [dagar], til dømes /{command} 7 (1–3650).",
        "en": "Usage: /{command} [days], for example /{command} 7 (1–3650).",
    },
    "export_caption": {
        "nb": "Spørsmålsloggen {first}–{last}: {count} spørsmål. CSV med semikolon (UTF-8), "
              "som Excel åpner med æøå i behold.",
        "nn": "Spørsmålsloggen {first}–{last}: {count} spørsmål. CSV med semikolon (UTF-8), "
              "som Excel opnar med æøå i behald.",
        "en": "The question log {first}–{last}: {count} questions. Semicolon-separated CSV "
              "(UTF-8) that Excel opens with æøå intact.",
    },
    "export_too_large": {
        "nb": "Eksporten ble {megabytes} MB ({count} spørsmål), mer enn de {limit} MB Telegram "
              "tar imot. Velg færre dager, for eksempel /eksport 7, eller bruk "
              "`python -m bot log export` på serveren.",
        "nn": "Eksporten vart {megabytes} MB ({count} spørsmål), meir enn dei {limit} MB "
              "Telegram tek imot. Vel færre dagar, til dømes /eksport 7, eller bruk "
              "`python -m bot log export` på tenaren.",
        "en": "The export came to {megabytes} MB ({count} questions), more than the {limit} MB "
              "Telegram accepts. Choose fewer days, for example /export 7, or use "
              "`python -m bot log export` on the server.",
    },
    "stats_title": {
        "nb": "Statistikk – siste {days} dager",
        "nn": "Statistikk – siste {days} dagar",
        "en": "Statistics – last {days} days",
    },
    "stats_questions": {
        "nb": "Spørsmål: {total} fra {people}",
        "nn": "Spørsmål: {total} frå {people}",
        "en": "Questions: {total} from {people}",
    },
    "stats_outcomes": {
        "nb": "Besvart {answered} · forslag {suggested} · ubesvart {unanswered}\n"
              "Nødsvar {emergency} · krisesvar {crisis}",
        "nn": "Svart {answered} · forslag {suggested} · ubesvart {unanswered}\n"
              "Naudsvar {emergency} · krisesvar {crisis}",
        "en": "Answered {answered} · suggested {suggested} · unanswered {unanswered}\n"
              "Emergency replies {emergency} · crisis replies {crisis}",
    },
    "stats_feedback": {
        "nb": "👍 {up} · 👎 {down} · «Ingen av disse» {none}",
        "nn": "👍 {up} · 👎 {down} · «Ingen av desse» {none}",
        "en": "👍 {up} · 👎 {down} · “None of these” {none}",
    },
    "stats_top_entries": {"nb": "Mest brukte svar:", "nn": "Mest brukte svar:",
                          "en": "Most used answers:"},
    "stats_top_groups": {"nb": "Største ubesvarte grupper:", "nn": "Største ubesvarte grupper:",
                         "en": "Largest unanswered groups:"},
    "stats_nothing": {"nb": "ingen ennå", "nn": "ingen enno", "en": "none yet"},
    "percent": {"nb": "{value} %", "nn": "{value} %", "en": "{value}%"},
    "chart_title": {
        "nb": "Spørsmål per dag, siste {days} dager",
        "nn": "Spørsmål per dag, siste {days} dagar",
        "en": "Questions per day, last {days} days",
    },
    "chart_answered": {"nb": "Besvart", "nn": "Svart", "en": "Answered"},
    "chart_suggested": {"nb": "Forslag", "nn": "Forslag", "en": "Suggested"},
    "chart_unanswered": {"nb": "Ubesvart", "nn": "Ubesvart", "en": "Unanswered"},
    "chart_emergency": {"nb": "Nødsvar", "nn": "Naudsvar", "en": "Emergency"},
    "chart_crisis": {"nb": "Krisesvar", "nn": "Krisesvar", "en": "Crisis"},
    "digest_title": {
        "nb": "Nye ubesvarte spørsmål siden {since}",
        "nn": "Nye ubesvarte spørsmål sidan {since}",
        "en": "New unanswered questions since {since}",
    },
    "digest_more": {
        "nb": "Skriv /ubesvart for å behandle dem.",
        "nn": "Skriv /ubesvart for å behandle dei.",
        "en": "Send /unanswered to handle them.",
    },
    "resolved_cli": {
        "nb": "{count} spørsmål markert som {status}.",
        "nn": "{count} spørsmål markerte som {status}.",
        "en": "{count} questions marked as {status}.",
    },
    "not_found_cli": {
        "nb": "Fant ikke ID {ref} blant spørsmålene som trenger gjennomgang (siste {days} "
              "dager).",
        "nn": "Fann ikkje ID {ref} blant spørsmåla som treng gjennomgang (siste {days} dagar).",
        "en": "ID {ref} is not among the questions that need review (last {days} days).",
    },
    "review_waiting": {
        "nb": "⏳ {count} venter på svar siden {since}",
        "nn": "⏳ {count} ventar på svar sidan {since}",
        "en": "⏳ {count} waiting for an answer since {since}",
    },
    "button_answer": {"nb": "📨 {number}. Svar", "nn": "📨 {number}. Svar",
                      "en": "📨 {number}. Answer"},
    "answer_prompt": {
        "nb": "Skriv svaret til {people} som venter på {question}. Det sendes som du skriver "
              "det, under overskriften «Svar fra redaksjonen på spørsmålet ditt …», med 👍/👎. "
              "Du får se det før det sendes.",
        "nn": "Skriv svaret til {people} som ventar på {question}. Det blir sendt som du skriv "
              "det, under overskrifta «Svar frå redaksjonen på spørsmålet ditt …», med 👍/👎. "
              "Du får sjå det før det blir sendt.",
        "en": "Write the answer for the {people} waiting for {question}. It is sent as you "
              "write it, under the heading “The editors' answer to your question …”, with 👍/👎. "
              "You will see it before it is sent.",
    },
    "answer_preview_title": {"nb": "Slik får innbyggeren svaret:", "nn": "Slik får innbyggjaren "
                             "svaret:", "en": "This is what the resident receives:"},
    "answer_preview_footer": {
        "nb": "Sendes til {people}. Svar med ny tekst for å endre det, eller trykk «Send».",
        "nn": "Blir sendt til {people}. Svar med ny tekst for å endre det, eller trykk «Send».",
        "en": "Goes to {people}. Reply with new text to change it, or press “Send”.",
    },
    "answer_problem_empty": {"nb": "Svaret er tomt.", "nn": "Svaret er tomt.",
                             "en": "The answer is empty."},
    "answer_problem_too_long": {
        "nb": "Svaret er for langt (høyst {limit} tegn). Skriv et kortere svar.",
        "nn": "Svaret er for langt (høgst {limit} teikn). Skriv eit kortare svar.",
        "en": "The answer is too long (at most {limit} characters). Write a shorter one.",
    },
    "button_send": {"nb": "📨 Send", "nn": "📨 Send", "en": "📨 Send"},
    "button_send_variant": {
        "nb": "📨 Svar og legg til som variant…",
        "nn": "📨 Svar og legg til som variant…",
        "en": "📨 Answer and add as a variant…",
    },
    "answer_sent": {
        "nb": "Svaret er sendt til {people}. {questions} er markert som løst.",
        "nn": "Svaret er sendt til {people}. Markert som løyst: {questions}.",
        "en": "The answer was sent to {people}. Marked as resolved: {questions}.",
    },
    "answer_sent_some": {
        "nb": "Svaret er sendt til {people}.",
        "nn": "Svaret er sendt til {people}.",
        "en": "The answer was sent to {people}.",
    },
    "answer_sent_variant": {
        "nb": "Svaret er sendt til {people}. Velg nå oppføringen som burde ha svart.",
        "nn": "Svaret er sendt til {people}. Vel no oppføringa som burde ha svart.",
        "en": "The answer was sent to {people}. Now choose the entry that should have answered.",
    },
    "answer_unreached": {
        "nb": "{count} kunne ikke nås nå og venter fortsatt: trykk «Svar» igjen senere.",
        "nn": "{count} kunne ikkje nåast no og ventar framleis: trykk «Svar» igjen seinare.",
        "en": "{count} could not be reached now and are still waiting: press “Answer” again "
              "later.",
    },
    "answer_nobody": {
        "nb": "Ingen venter lenger på svar her (allerede besvart, trukket tilbake eller utløpt).",
        "nn": "Ingen ventar lenger på svar her (alt svart, trekt tilbake eller gått ut).",
        "en": "Nobody is waiting for an answer here any more (answered, withdrawn or expired).",
    },
    "answer_expired": {
        "nb": "Dette svaret er ikke lenger aktivt. Trykk «Svar» på nytt.",
        "nn": "Dette svaret er ikkje lenger aktivt. Trykk «Svar» på nytt.",
        "en": "This answer is no longer active. Press “Answer” again.",
    },
    "digest_waiting": {
        "nb": "⏳ {people} venter på svar fra redaksjonen. Skriv /ubesvart og trykk «Svar».",
        "nn": "⏳ {people} ventar på svar frå redaksjonen. Skriv /ubesvart og trykk «Svar».",
        "en": "⏳ {people} waiting for an answer from the editors. Send /unanswered and press "
              "“Answer”.",
    },
    "followups_title": {
        "nb": "Venter på svar fra redaksjonen (slettes etter {days} dager uten svar)",
        "nn": "Ventar på svar frå redaksjonen (blir sletta etter {days} dagar utan svar)",
        "en": "Waiting for an answer from the editors (deleted after {days} days without one)",
    },
    "followups_empty": {
        "nb": "Ingen venter på svar fra redaksjonen.",
        "nn": "Ingen ventar på svar frå redaksjonen.",
        "en": "Nobody is waiting for an answer from the editors.",
    },
    "followups_line": {
        "nb": "{waiting} · slettes {expires} hvis ikke besvart",
        "nn": "{waiting} · blir sletta {expires} om ikkje svart",
        "en": "{waiting} · deleted {expires} unless answered",
    },
}
TEXTS.update(EDITOR_TEXTS)

COUNCIL_WEBSITE = "https://www.kongsbergregionen.no"


def counted(key: str, count: int, language: str) -> str:
    """`key`_one or `key`_many with the count filled in: "1 gang", "3 ganger"."""
    return say(f"{key}_{'one' if count == 1 else 'many'}", language, count=str(count))


def phone_with_year(phone: str, year: str | int | None, language: str) -> str:
    """A phone number, with the year it was given in when it is old."""
    if phone and year:
        return f"{phone} {say('phone_as_of', language, year=str(year))}"
    return phone


def say(key: str, language: str, **values: str) -> str:
    """The text `key` in `language` (nynorsk falls back to bokmål), with `values` filled in."""
    variants = TEXTS[key]
    text = variants.get(language) or variants["nb"]
    return text.format(**values) if values else text
