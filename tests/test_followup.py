"""Tests for bot/followup.py, bot/person_request.py and their handlers, offline.

The resident's consent, /glem, the request for a person, and the editors' Svar flow run through
the production application over a recording request, on a real SQLite file; the retention job
and the review list's waiting marks on the store itself. The end-to-end tests against the real
process are in tests/reliability/test_followup.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot import callbacks
from bot.config import PROJECT_ROOT, ConfigError, load_config
from bot.engine import Engine, Outcome
from bot.followup import Consent, Followups, answer_problem, resident_message
from bot.knowledge import KnowledgeError, load_knowledge
from bot.log_cli import render_followups
from bot.markup import PLAIN
from bot.review import render_digest, review_groups
from bot.storage import QuestionLog, utc_now
from handlers import editors
from tests import updates
from tests.conftest import AMBIGUOUS, EDITOR_ID, OfflineBot
from tests.recording_request import Call, button_data, button_texts
from tests.test_learned import unanswered_with_candidates

RESIDENT = 5_987_654_321
OTHER = 5_987_654_322
UNKNOWN = "Når åpner blorfthallen på Qzxby?"
PERSON_REQUESTS = {
    "kan jeg snakke med et menneske": "nb",
    "Kan eg snakke med eit menneske?": "nn",
    "I want to talk to a human": "en",
    "ring meg": "nb",
    "kan noen ringe meg i morgen": "nb",
    "can I speak to a real person please": "en",
    "jeg vil snakke med en saksbehandler": "nb",
    "kontakt meg": "nb",
    "could you please call me back": "en",
    "kan jeg snakke med noen i kommunen?": "nb",
    "I need to talk to someone at the council": "en",
}
NOT_PERSON_REQUESTS = (
    "snakker jeg med et menneske nå",  # whether the bot is one: small talk
    "er du et menneske",
    "are you a real person?",
    "Koss får æ kontakt me regionrådet?",  # dialect "me" is "med"
    "hvem ringer jeg hvis jeg vil snakke med noen om regionsamarbeidet?",
    "hvor mange mennesker bor i Tinn",
    "tlf notodden",
    # a fact asked for beside the wish: the fact is the answer
    "Jeg må snakke med noen i kommunen. Har du telefonnummeret til Nore og Uvdal kommune?",
)


# --- the request for a person -------------------------------------------------------------------


@pytest.mark.parametrize("text", PERSON_REQUESTS)
def test_a_request_for_a_person_is_recognised_in_each_language(
    engine: Engine, text: str
) -> None:
    result = engine.ask(text)
    assert result.wants_person
    assert result.outcome is Outcome.UNANSWERED
    assert result.language == PERSON_REQUESTS[text]


@pytest.mark.parametrize("text", NOT_PERSON_REQUESTS)
def test_other_questions_about_people_are_not_requests_for_a_person(
    engine: Engine, text: str
) -> None:
    assert not engine.ask(text).wants_person


def test_an_emergency_is_never_a_request_for_a_person(engine: Engine) -> None:
    result = engine.ask("ring meg, det brenner i huset")
    assert result.is_safety_reply and not result.wants_person


def test_the_request_for_a_person_file_is_validated_with_file_and_line(
    knowledge_copy: Path,
) -> None:
    path = knowledge_copy / "followup.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('  - "kontakt med ... @person"', '  - "kontakt med ... @nobody"')
    text = text.replace("reply:\n  nb:", "reply:\n  xx:")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(knowledge_copy)
    problems = [p for p in raised.value.problems if p.file.endswith("followup.yaml")]
    messages = " | ".join(p.message for p in problems)
    assert "@nobody" in messages and "('reply.nb')" in messages
    assert all(p.line > 0 for p in problems)


# --- the resident's side, offline ---------------------------------------------------------------


async def ask(bot: OfflineBot, text: str, user_id: int = RESIDENT, **kwargs) -> Call:
    await bot.send(updates.message(text, user_id=user_id, **kwargs))
    return bot.request.last("sendMessage")


def consent_data(call: Call) -> str:
    """The callback data of the consent button of a reply."""
    found = [d for d in button_data(call) if (p := callbacks.decode(d)) and p.action == "followup"]
    assert len(found) == 1, button_data(call)
    return found[0]


def rows(bot: OfflineBot) -> list[tuple]:
    path = bot.application.bot_data["services"].question_log.path
    connection = sqlite3.connect(path)
    try:
        return connection.execute(
            "SELECT question_id, chat_id FROM followups ORDER BY consented_at").fetchall()
    finally:
        connection.close()


async def test_i_do_not_know_offers_one_consent_button_in_private(offline_bot: OfflineBot) -> None:
    call = await ask(offline_bot, UNKNOWN)
    assert "vet jeg dessverre ikke" in call.params["text"]
    assert button_texts(call) == ["📨 Vil du ha svar fra redaksjonen her?"]
    assert callbacks.decode(consent_data(call)).question_ref is not None


async def test_the_offer_is_in_the_questions_language(offline_bot: OfflineBot) -> None:
    call = await ask(offline_bot, "When does the blorft hall in Qzxby open?")
    assert button_texts(call) == ["📨 Would you like an answer from the editors here?"]


async def test_no_consent_button_in_groups(offline_bot: OfflineBot) -> None:
    call = await ask(offline_bot, f"@{updates.BOT_USERNAME} {UNKNOWN}", chat_id=-4242,
                     chat_type="supergroup")
    assert "vet jeg dessverre ikke" in call.params["text"]
    assert not button_data(call)


async def test_no_consent_button_on_emergency_or_crisis_replies(offline_bot: OfflineBot) -> None:
    for text in ("det brenner i huset mitt", "jeg vil ikke leve lenger"):
        call = await ask(offline_bot, text)
        assert not button_data(call), text


async def test_none_of_these_offers_the_consent_button(
    offline_bot: OfflineBot, engine: Engine
) -> None:
    await offline_bot.send(updates.callback("1:n:nb:-:42", user_id=RESIDENT))
    # Question 42 was never asked by this user: the press is refused before anything else.
    assert "virker ikke lenger" in offline_bot.request.last("answerCallbackQuery").params["text"]
    offline_bot.request.clear()
    question = next(q for q in AMBIGUOUS if engine.ask(q).outcome == "suggested")
    call = await ask(offline_bot, question)
    none = next(d for d in button_data(call) if callbacks.decode(d).action == "none")
    await offline_bot.send(updates.callback(none, user_id=RESIDENT))
    edit = offline_bot.request.last("editMessageText")
    assert "vet jeg ikke svaret" in edit.params["text"]
    assert callbacks.decode(consent_data(edit)).question_ref == callbacks.decode(none).question_ref


async def test_a_request_for_a_person_explains_gives_the_contact_and_offers(
    offline_bot: OfflineBot,
) -> None:
    call = await ask(offline_bot, "kan jeg snakke med et menneske i Notodden kommune")
    text = call.params["text"]
    assert "chatbot" in text and "Notodden kommune" in text and "+47 35 01 50 00" in text
    assert "redaksjonen" in text
    assert button_texts(call) == ["📨 Vil du ha svar fra redaksjonen her?"]
    council = await ask(offline_bot, "I would like to talk to a human, please")
    assert "kongsbergregionen.no" in council.params["text"]
    assert button_texts(council) == ["📨 Would you like an answer from the editors here?"]


async def test_consent_stores_the_chat_and_says_what_is_kept(offline_bot: OfflineBot) -> None:
    call = await ask(offline_bot, UNKNOWN)
    data = consent_data(call)
    await offline_bot.send(updates.callback(data, user_id=RESIDENT))
    reply = offline_bot.request.last("sendMessage").params
    assert reply["chat_id"] == RESIDENT
    assert "14 dager" in reply["text"] and "/glem" in reply["text"]
    assert offline_bot.request.last("editMessageReplyMarkup")  # the button goes
    assert rows(offline_bot) == [(callbacks.decode(data).question_ref, RESIDENT)]
    await offline_bot.send(updates.callback(data, user_id=RESIDENT))
    assert "allerede" in offline_bot.request.last("sendMessage").params["text"]
    assert len(rows(offline_bot)) == 1


async def test_another_user_cannot_consent_for_the_askers_question(
    offline_bot: OfflineBot,
) -> None:
    data = consent_data(await ask(offline_bot, UNKNOWN))
    offline_bot.request.clear()
    await offline_bot.send(updates.callback(data, user_id=OTHER))
    assert [c.method for c in offline_bot.request.calls] == ["answerCallbackQuery"]
    assert "Bare den som spurte" in offline_bot.request.last("answerCallbackQuery").params["text"]
    assert rows(offline_bot) == []


async def test_a_forged_consent_for_an_answered_or_emergency_question_is_refused(
    offline_bot: OfflineBot,
) -> None:
    for text in ("det brenner i huset mitt", "tlf notodden"):
        await ask(offline_bot, text)
    log = offline_bot.application.bot_data["services"].question_log
    asked = await log.questions(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert [q.outcome for q in asked] == ["emergency", "answered"]
    for question in asked:
        offline_bot.request.clear()
        await offline_bot.send(updates.callback(
            callbacks.encode("followup", "nb", extra=str(question.id)), user_id=RESIDENT))
        assert [c.method for c in offline_bot.request.calls] == ["answerCallbackQuery"]
    assert rows(offline_bot) == []


async def test_glem_deletes_the_consent_at_once(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.callback(consent_data(await ask(offline_bot, UNKNOWN)),
                                            user_id=RESIDENT))
    assert len(rows(offline_bot)) == 1
    call = await ask(offline_bot, "/glem")
    assert "Slettet" in call.params["text"]
    assert rows(offline_bot) == []
    call = await ask(offline_bot, "/forget", language_code="en")
    assert "not kept this chat" in call.params["text"]


# --- the editors' side, offline -----------------------------------------------------------------


async def waiting_resident(bot: OfflineBot, text: str = UNKNOWN,
                           user_id: int = RESIDENT) -> int:
    """A resident asks `text` (not answerable) and consents; the question's id."""
    data = consent_data(await ask(bot, text, user_id=user_id))
    await bot.send(updates.callback(data, user_id=user_id))
    return callbacks.decode(data).question_ref


async def review(bot: OfflineBot) -> Call:
    bot.request.clear()
    await bot.send(updates.message("/ubesvart", user_id=EDITOR_ID))
    return bot.request.last("sendMessage")


def editor_data(call: Call, action: str) -> str:
    return next(d for d in button_data(call) if callbacks.decode_editor(d).action == action)


async def test_the_review_list_marks_waiting_groups_first_and_answers_them(
    editor_bot: OfflineBot,
) -> None:
    await ask(editor_bot, "Qwerty zxcvb asdfg?", user_id=OTHER)  # nobody waits for this
    question = await waiting_resident(editor_bot)
    await waiting_resident(editor_bot, "når åpner blorfthallen på qzxby", user_id=OTHER)
    listing = await review(editor_bot)
    text = listing.params["text"]
    assert "⏳ 2 venter på svar" in text
    assert text.index("blorfthallen") < text.index("Qwerty")
    assert str(RESIDENT) not in text and str(OTHER) not in text
    assert button_texts(listing)[0] == "📨 1. Svar"
    await editor_bot.send(updates.callback(editor_data(listing, "answer"), user_id=EDITOR_ID))
    assert "Skriv svaret til 2 personer" in editor_bot.request.last("editMessageText").params[
        "text"]
    editor_bot.request.clear()
    await editor_bot.send(updates.message("Den åpner <b>1. mai</b> & ikke før.",
                                          user_id=EDITOR_ID))
    preview = editor_bot.request.last("sendMessage")
    assert "&lt;b&gt;1. mai&lt;/b&gt; &amp; ikke før." in preview.params["text"]
    assert "Svar fra redaksjonen på spørsmålet ditt «" in preview.params["text"]
    assert [callbacks.decode_editor(d).action for d in button_data(preview)] == [
        "send", "send_variant", "back"]
    editor_bot.request.clear()
    await editor_bot.send(updates.callback(editor_data(preview, "send"), user_id=EDITOR_ID))
    sent = [c for c in editor_bot.request.of("sendMessage")
            if c.params["chat_id"] in (RESIDENT, OTHER)]
    assert sorted(c.params["chat_id"] for c in sent) == [RESIDENT, OTHER]
    mine = next(c for c in sent if c.params["chat_id"] == RESIDENT)
    assert mine.params["text"].startswith(
        "Svar fra redaksjonen på spørsmålet ditt «Når åpner blorfthallen på Qzxby?»:")
    assert "&lt;b&gt;1. mai&lt;/b&gt; &amp; ikke før." in mine.params["text"]
    assert button_texts(mine) == ["👍", "👎"]
    assert all(callbacks.decode(d).question_ref == question for d in button_data(mine))
    assert "sendt til 2 personer" in editor_bot.request.last("editMessageText").params["text"]
    assert rows(editor_bot) == []
    log = editor_bot.application.bot_data["services"].question_log
    statuses = {q.text: q.status for q in await log.questions(dt.datetime(2000, 1, 1,
                                                                           tzinfo=dt.UTC))}
    assert statuses["Når åpner blorfthallen på Qzxby?"] == "resolved"
    assert statuses["Qwerty zxcvb asdfg?"] == "open"
    # The resident's 👍 counts on the question.
    await editor_bot.send(updates.callback(button_data(mine)[0], user_id=RESIDENT))
    assert "Takk" in editor_bot.request.last("answerCallbackQuery").params["text"]
    await log.flush()
    feedback = {q.id: q.feedback for q in await log.questions(dt.datetime(2000, 1, 1,
                                                                          tzinfo=dt.UTC))}
    assert feedback[question] == 1


async def test_send_twice_sends_once(editor_bot: OfflineBot) -> None:
    await waiting_resident(editor_bot)
    listing = await review(editor_bot)
    await editor_bot.send(updates.callback(editor_data(listing, "answer"), user_id=EDITOR_ID))
    await editor_bot.send(updates.message("Svaret.", user_id=EDITOR_ID))
    send = editor_data(editor_bot.request.last("sendMessage"), "send")
    editor_bot.request.clear()
    await editor_bot.send(updates.callback(send, user_id=EDITOR_ID))
    await editor_bot.send(updates.callback(send, user_id=EDITOR_ID))
    to_resident = [c for c in editor_bot.request.of("sendMessage")
                   if c.params["chat_id"] == RESIDENT]
    assert len(to_resident) == 1


async def test_answer_and_add_as_variant_goes_on_to_the_entries(
    editor_bot: OfflineBot, editor_engine: Engine
) -> None:
    question, _ = unanswered_with_candidates(editor_engine)
    await waiting_resident(editor_bot, question)
    listing = await review(editor_bot)
    await editor_bot.send(updates.callback(editor_data(listing, "answer"), user_id=EDITOR_ID))
    await editor_bot.send(updates.message("Se kongsbergregionen.no.", user_id=EDITOR_ID))
    variant = editor_data(editor_bot.request.last("sendMessage"), "send_variant")
    editor_bot.request.clear()
    await editor_bot.send(updates.callback(variant, user_id=EDITOR_ID))
    assert [c.params["chat_id"] for c in editor_bot.request.of("sendMessage")] == [RESIDENT]
    edit = editor_bot.request.last("editMessageText")
    assert "Svaret er sendt til 1 person" in edit.params["text"]
    assert "Legg til som variant" in edit.params["text"]
    assert any(callbacks.decode_editor(d).action == "add" for d in button_data(edit))


async def test_a_non_editor_cannot_answer_or_send(editor_bot: OfflineBot) -> None:
    question = await waiting_resident(editor_bot)
    editor_bot.request.clear()
    for action in ("answer", "send", "send_variant"):
        data = callbacks.encode_editor(action, 30, question)
        await editor_bot.send(updates.callback(data, user_id=OTHER))
    assert {c.method for c in editor_bot.request.calls} == {"answerCallbackQuery"}
    assert len(rows(editor_bot)) == 1


async def test_an_answer_too_long_or_empty_cannot_be_sent(editor_bot: OfflineBot) -> None:
    assert answer_problem("  ") == "empty"
    assert answer_problem("x" * 3001) == "too_long"
    assert answer_problem("Svaret.") is None
    await waiting_resident(editor_bot)
    listing = await review(editor_bot)
    await editor_bot.send(updates.callback(editor_data(listing, "answer"), user_id=EDITOR_ID))
    await editor_bot.send(updates.message("x" * 3001, user_id=EDITOR_ID))
    preview = editor_bot.request.last("sendMessage")
    assert "for langt" in preview.params["text"]
    assert [callbacks.decode_editor(d).action for d in button_data(preview)] == ["back"]


async def test_the_digest_counts_waiting_residents(editor_bot: OfflineBot) -> None:
    await waiting_resident(editor_bot)
    await waiting_resident(editor_bot, "når åpner blorfthallen på qzxby", user_id=OTHER)
    editor_bot.request.clear()
    assert await editors.send_digest(editor_bot.application) == 1
    text = editor_bot.request.last("sendMessage").params["text"]
    assert "⏳ 2 personer venter på svar fra redaksjonen" in text
    assert str(RESIDENT) not in text


# --- the store: retention, ordering, the command line -------------------------------------------


@pytest.fixture
async def store(tmp_path: Path) -> Followups:
    log = QuestionLog(tmp_path / "q.sqlite3", "secret-for-hashing-user-ids-000000", 180,
                      followup_days=14)
    await log.initialize()
    yield Followups(log)
    await log.shutdown()


def unanswered(store: Followups, text: str, user: int) -> int:
    return store.question_log.record_question(
        text=text, language="nb", outcome="unanswered", entry_id=None, score=0.0,
        suggestions=[], chat_type="private", user_id=user, source="telegram")


async def test_expired_consents_are_purged_and_never_used(store: Followups) -> None:
    old = unanswered(store, "gammelt spørsmål om blorft", 1)
    new = unanswered(store, "nytt spørsmål om snirkel", 2)
    now = utc_now()
    assert await store.consent(old, 1, now - dt.timedelta(days=14, minutes=1)) is Consent.GIVEN
    assert await store.consent(new, 2, now - dt.timedelta(days=13)) is Consent.GIVEN
    assert [w.question_id for w in await store.claim([old], now)] == []  # expired: not used
    assert await store.question_log.purge_followups(now) == 0  # the claim took it already
    assert await store.consent(old, 1, now - dt.timedelta(days=15)) is Consent.GIVEN
    assert await store.question_log.purge_followups(now) == 1
    assert await store.waiting_residents(now) == 1
    assert await store.question_log.purge_followups(now + dt.timedelta(days=2)) == 1
    assert await store.waiting_residents(now) == 0


async def test_the_retention_job_runs_at_start(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    log = QuestionLog(path, "secret-for-hashing-user-ids-000000", 180, followup_days=3)
    await log.initialize()
    question = unanswered(Followups(log), "spørsmål om blorft", 1)
    await Followups(log).consent(question, RESIDENT, utc_now() - dt.timedelta(days=4))
    await log.shutdown()
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM followups").fetchone() == (1,)
    again = QuestionLog(path, "secret-for-hashing-user-ids-000000", 180, followup_days=3)
    await again.initialize()
    await again.shutdown()
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM followups").fetchone() == (0,)


async def test_waiting_groups_come_first_oldest_waiting_first_whatever_their_status(
    store: Followups,
) -> None:
    log = store.question_log
    ids = [unanswered(store, text, user) for text, user in (
        ("spørsmål om blorft", 1), ("spørsmål om snirkel", 2), ("spørsmål om quambo", 3),
        ("spørsmål om quambo", 4))]
    now = utc_now()
    await store.consent(ids[0], 1, now - dt.timedelta(hours=1))
    await store.consent(ids[1], 2, now - dt.timedelta(hours=5))
    await log.set_status([ids[1]], "ignored")  # an editor's Ignorer must not hide a waiter
    groups = (await review_groups(log)).groups
    assert [g.text for g in groups] == ["spørsmål om snirkel", "spørsmål om blorft",
                                        "spørsmål om quambo"]
    assert [g.waiting for g in groups] == [1, 1, 0]
    cli = render_followups([g for g in groups if g.waiting], 14, "nb")
    assert "spørsmål om snirkel" in cli and "1 venter på svar" in cli
    assert "quambo" not in cli
    digest = render_digest(groups, now, "nb", PLAIN, waiting=2)
    assert "2 personer venter" in digest


def test_the_resident_message_escapes_everything() -> None:
    text = resident_message("<i>hvem</i> & hva", "<script>x</script>", "nb")
    assert text == ("Svar fra redaksjonen på spørsmålet ditt «&lt;i&gt;hvem&lt;/i&gt; &amp; "
                    "hva»:\n\n&lt;script&gt;x&lt;/script&gt;")


def test_followup_buttons_fit_with_the_largest_question_id() -> None:
    largest = callbacks.MAX_QUESTION_ID
    for language in callbacks.LANGUAGES:
        for action, extra in (("followup", str(largest)), ("answer_feedback", f"-{largest}")):
            data = callbacks.encode(action, language, extra=extra)
            assert len(data.encode()) <= callbacks.MAX_BYTES
            assert callbacks.decode(data).question_ref == largest
    for action in ("answer", "send", "send_variant"):
        data = callbacks.encode_editor(action, callbacks.MAX_DAYS, largest)
        assert callbacks.decode_editor(data).number == largest


def test_followup_max_days_is_configurable_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("followup:\n  max_days: 7\n", encoding="utf-8")
    assert load_config(path, environ={}).followup.max_days == 7
    assert load_config(PROJECT_ROOT / "config.example.yaml", environ={}).followup.max_days == 14
    for bad in ("0", "91", "abc"):
        path.write_text(f"followup:\n  max_days: {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as raised:
            load_config(path, environ={})
        assert "followup.max_days" in str(raised.value) and "config.yaml:2" in str(raised.value)


def test_the_log_keeps_the_followup_days_of_the_configuration(tmp_path: Path) -> None:
    from bot.services import question_log_for

    config = load_config(PROJECT_ROOT / "config.example.yaml", environ={
        "BOT_DATABASE": str(tmp_path / "q.sqlite3")})
    config = dataclasses.replace(config, followup=dataclasses.replace(config.followup,
                                                                      max_days=5))
    assert question_log_for(config).followup_days == 5
