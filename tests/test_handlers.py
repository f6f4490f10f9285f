"""Handler tests: the production application over a recording request, offline.

Each test feeds updates as Telegram would send them and asserts on the Bot API calls the bot
made: which method, to whom, with what text and which buttons.
"""

from __future__ import annotations

import pytest

from bot import callbacks
from bot.engine import Engine
from tests import updates
from tests.conftest import AMBIGUOUS, OfflineBot
from tests.recording_request import button_data, button_texts


def decoded_buttons(call) -> list[callbacks.Callback]:
    data = [d for d in button_data(call) if d]
    decoded = [callbacks.decode(d) for d in data]
    assert all(decoded), f"undecodable button data in {data}"
    return decoded


async def test_start_greets_by_name_and_shows_the_main_menu(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.message("/start"))
    call = offline_bot.request.last("sendMessage")
    assert call.params["chat_id"] == 101
    assert call.params["text"].startswith("Hei, Kari!")
    assert call.params["parse_mode"] == "HTML"
    opened = {b.entry_id for b in decoded_buttons(call)}
    assert {"council.members", "council.focus_areas", "contact.council"} <= opened


async def test_start_deep_link_opens_the_entry(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.message("/start contact-notodden"))
    text = offline_bot.request.last("sendMessage").params["text"]
    assert text.startswith("<b>") and "+47 35 01 50 00" in text


async def test_help_in_bokmal_and_english(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.message("/hjelp"))
    assert "/kontakt" in offline_bot.request.last("sendMessage").params["text"]
    await offline_bot.send(updates.message("/help", language_code="en"))
    english = offline_bot.request.last("sendMessage").params["text"]
    assert "What I can help with" in english and "@kongsbergregionen_bot" in english


async def test_command_menus_are_registered_in_bokmal_and_english(
    config, engine: Engine
) -> None:
    from bot.app import build_application
    from tests.recording_request import RecordingRequest

    request = RecordingRequest()
    application = build_application(config, engine, request=request)
    async with application:
        await application.post_init(application)
        await application.post_shutdown(application)
    menus = request.of("setMyCommands")
    assert len(menus) == 2
    default, english = menus
    assert "language_code" not in default.params
    assert english.params["language_code"] == "en"
    names = [c["command"] for c in default.params["commands"]]
    assert names == ["start", "hjelp", "kommuner", "satsinger", "kontakt", "om", "glem"]


async def test_municipalities_and_focus_areas_list_their_entries(
    offline_bot: OfflineBot,
) -> None:
    await offline_bot.send(updates.message("/kommuner"))
    members = decoded_buttons(offline_bot.request.last("sendMessage"))
    assert len([b for b in members if b.entry_id.startswith("municipality.")]) == 7
    await offline_bot.send(updates.message("/focus", language_code="en"))
    focus = decoded_buttons(offline_bot.request.last("sendMessage"))
    assert len([b for b in focus if b.entry_id.startswith("focus.")]) == 5
    assert all(b.language == "en" for b in focus)


@pytest.mark.parametrize(
    ("command", "expected"),
    [("/kontakt tinn", "contact.tinn"), ("/kontakt Notoden", "contact.notodden"),
     ("/contact nore og uvdal", "contact.nore_og_uvdal")],
)
async def test_contact_with_a_name(offline_bot: OfflineBot, engine: Engine, command: str,
                                   expected: str) -> None:
    await offline_bot.send(updates.message(command))
    text = offline_bot.request.last("sendMessage").params["text"]
    title = engine.knowledge.entries[expected].title_in("nb")
    assert title in text


async def test_contact_with_an_unknown_name_offers_the_choices(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.message("/kontakt <b>Oslo</b>"))
    call = offline_bot.request.last("sendMessage")
    assert "&lt;b&gt;Oslo&lt;/b&gt;" in call.params["text"]
    assert {b.entry_id for b in decoded_buttons(call)} >= {"contact.tinn", "contact.council"}


async def test_a_clear_question_is_answered_with_buttons(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.message("Når ble regionrådet stiftet?"))
    call = offline_bot.request.last("sendMessage")
    assert call.params["text"].startswith("<b>")
    assert "8. februar 2005" in call.params["text"]
    assert [b.action for b in decoded_buttons(call)][-2:] == ["feedback", "feedback"]
    assert button_texts(call)[-2:] == ["👍", "👎"]


async def test_two_questions_in_one_message_get_two_answers(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.message("Når ble regionrådet stiftet, og hvilke kommuner "
                                           "er med?"))
    first, second = offline_bot.request.of("sendMessage")[-2:]
    assert "8. februar 2005" in first.params["text"]
    assert "Notodden" in second.params["text"] and "Rollag" in second.params["text"]


async def test_a_fact_is_answered_in_one_line_with_the_card_and_contact(
    offline_bot: OfflineBot,
) -> None:
    await offline_bot.send(updates.message("tlf notodden"))
    call = offline_bot.request.last("sendMessage")
    assert call.params["text"].startswith("Notodden kommune har telefon +47 35 01 50 00.")
    buttons = decoded_buttons(call)
    assert [(b.action, b.entry_id) for b in buttons][:2] == [
        ("open", "contact.notodden"), ("card", "contact.notodden")
    ]
    assert [b.action for b in buttons][-2:] == ["feedback", "feedback"]


async def test_an_english_question_gets_an_english_answer(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.message("What is the phone number of Notodden municipality?"))
    call = offline_bot.request.last("sendMessage")
    assert "phone" in call.params["text"].lower()
    assert all(b.language == "en" for b in decoded_buttons(call))


async def test_an_unknown_question_gets_an_honest_reply(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.message("Qwerty zxcvb asdfg?"))
    text = offline_bot.request.last("sendMessage").params["text"]
    assert "vet jeg dessverre ikke" in text
    assert "kongsbergregionen.no" in text


async def test_an_unknown_question_naming_a_municipality_points_to_it(
    offline_bot: OfflineBot,
) -> None:
    await offline_bot.send(updates.message("Hvor kan jeg klage på brøytingen i Notodden?"))
    text = offline_bot.request.last("sendMessage").params["text"]
    assert "vet jeg dessverre ikke" in text
    assert "Notodden kommune" in text and "35 01 50 00" in text
    await offline_bot.send(updates.message("Når åpner svømmehallen i Notodden?"))
    text = offline_bot.request.last("sendMessage").params["text"]
    assert "Åpningstidene til Notodden kommune har jeg ikke" in text
    assert "www.notodden.kommune.no" in text


async def test_suggestions_then_a_pick_answers_in_place(
    offline_bot: OfflineBot, engine: Engine
) -> None:
    question = next(q for q in AMBIGUOUS if engine.ask(q).outcome == "suggested")
    await offline_bot.send(updates.message(question))
    call = offline_bot.request.last("sendMessage")
    assert "Mente du" in call.params["text"]
    presses = decoded_buttons(call)
    assert 2 <= len(presses) <= 4
    assert presses[-1].action == "none"
    chosen = presses[0]
    await offline_bot.send(updates.callback(button_data(call)[0]))
    edit = offline_bot.request.last("editMessageText")
    assert edit.params["text"].startswith("<b>")
    assert engine.knowledge.entries[chosen.entry_id].title_in("nb") in edit.params["text"]
    assert offline_bot.request.of("answerCallbackQuery")


async def test_none_of_these_says_so_honestly(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.callback("1:n:nb:-"))
    edit = offline_bot.request.last("editMessageText")
    assert "vet jeg ikke svaret" in edit.params["text"]


@pytest.mark.parametrize("data", [
    "garbage", "", "0:e:nb:council.about", "1:e:nb:no.such.entry", "1:x:nb:council.about",
    "1:e:de:council.about", "1:f:nb:council.about:+abc", "1:e:nb:" + "a" * 70,
])
async def test_stale_or_forged_buttons_get_a_polite_answer_only(
    offline_bot: OfflineBot, data: str
) -> None:
    await offline_bot.send(updates.callback(data))
    methods = [call.method for call in offline_bot.request.calls]
    assert methods == ["answerCallbackQuery"]
    assert "virker ikke lenger" in offline_bot.request.last("answerCallbackQuery").params["text"]


async def test_feedback_is_thanked_and_the_buttons_go(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.callback("1:f:nb:contact.notodden:+"))
    assert "Takk" in offline_bot.request.last("answerCallbackQuery").params["text"]
    markup = offline_bot.request.last("editMessageReplyMarkup")
    assert "feedback" not in [b.action for b in decoded_buttons(markup)]


async def test_save_contact_sends_a_real_contact_with_a_vcard(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.callback("1:c:nb:contact.notodden"))
    contact = offline_bot.request.last("sendContact").params
    assert contact["phone_number"] == "+4735015000"
    assert contact["first_name"] == "Notodden kommune"
    assert "TEL;TYPE=WORK,VOICE:+4735015000" in contact["vcard"]
    assert "URL:https://www.notodden.kommune.no" in contact["vcard"]


async def test_save_contact_without_a_phone_number_says_so(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.callback("1:c:nb:contact.kongsberg"))
    assert not offline_bot.request.of("sendContact")
    assert "telefonnummer" in offline_bot.request.last("answerCallbackQuery").params["text"]


async def test_inline_empty_query_offers_the_municipalities(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.inline(""))
    results = offline_bot.request.last("answerInlineQuery").params["results"]
    assert len(results) == 7
    assert results[0]["type"] == "contact"


async def test_inline_query_puts_contacts_first(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.inline("notodden"))
    results = offline_bot.request.last("answerInlineQuery").params["results"]
    assert 1 <= len(results) <= 10
    assert results[0]["type"] == "contact"
    assert results[0]["phone_number"] == "+4735015000"
    assert len({r["id"] for r in results}) == len(results)


async def test_inline_query_with_a_question(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.inline("satsingsområder"))
    results = offline_bot.request.last("answerInlineQuery").params["results"]
    assert results and results[0]["type"] == "article"
    assert "Satsingsområde" in results[0]["title"] or "satsingsområde" in results[0]["title"]


async def test_groups_answer_only_mentions_and_replies(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.message("tlf notodden", chat_id=-100, chat_type="group"))
    assert not offline_bot.request.of("sendMessage")
    await offline_bot.send(updates.message("@kongsbergregionen_bot tlf notodden", chat_id=-100,
                                           chat_type="supergroup"))
    assert "+47 35 01 50 00" in offline_bot.request.last("sendMessage").params["text"]
    offline_bot.request.clear()
    await offline_bot.send(updates.message("og tinn?", chat_id=-100, chat_type="group",
                                           reply_to_bot=True))
    assert offline_bot.request.of("sendMessage")


async def test_non_text_messages_get_a_short_reply(offline_bot: OfflineBot) -> None:
    sticker = {"file_id": "s", "file_unique_id": "u", "type": "regular", "width": 1,
               "height": 1, "is_animated": False, "is_video": False}
    await offline_bot.send(updates.message(None, sticker=sticker))
    await offline_bot.send(updates.message(None, location={"latitude": 59.6,
                                                           "longitude": 9.6}))
    texts = [c.params["text"] for c in offline_bot.request.of("sendMessage")]
    assert texts == ["Jeg leser bare tekst. Skriv spørsmålet ditt, så svarer jeg så godt jeg "
                     "kan."] * 2


async def test_unknown_commands_point_to_help(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.message("/foo"))
    assert "/hjelp" in offline_bot.request.last("sendMessage").params["text"]


async def test_a_very_long_message_is_answered_once(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.message("tlf notodden " + "bla " * 3000))
    assert len(offline_bot.request.of("sendMessage")) == 1


async def test_a_failing_handler_apologises_and_the_bot_goes_on(
    offline_bot: OfflineBot, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(question: str, language_hint: str | None = None):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(engine, "ask", broken)
    await offline_bot.send(updates.message("tlf notodden"))
    assert "Beklager" in offline_bot.request.last("sendMessage").params["text"]
    monkeypatch.undo()
    await offline_bot.send(updates.message("tlf notodden"))
    assert "+47 35 01 50 00" in offline_bot.request.last("sendMessage").params["text"]


async def test_a_follow_up_is_read_in_the_conversation(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.message("tlf notodden", user_id=71))
    await offline_bot.send(updates.message("og Tinn da?", user_id=71))
    assert offline_bot.request.last("sendMessage").params["text"].startswith(
        "Telefonnummeret til Tinn kommune har jeg ikke.")
    await offline_bot.send(updates.message("hva med adressen?", user_id=71))
    assert offline_bot.request.last("sendMessage").params["text"].startswith(
        "Adressen til Tinn kommune har jeg ikke.")
    await offline_bot.send(updates.message("og Tinn da?", user_id=72))  # another chat
    assert "Tinn kommune har jeg ikke" not in offline_bot.request.last("sendMessage").params[
        "text"]


def test_every_entrys_buttons_fit_with_the_largest_question_id(engine: Engine) -> None:
    """Question ids take up to 19 digits; every button must still fit in 64 bytes."""
    largest = callbacks.MAX_QUESTION_ID
    for entry_id in engine.knowledge.entries:
        for language in callbacks.LANGUAGES:
            for action, extra in (("pick", str(largest)), ("feedback", f"-{largest}")):
                data = callbacks.encode(action, language, entry_id, extra)
                assert callbacks.decode(data).question_ref == largest
        data = callbacks.encode_editor("add", callbacks.MAX_DAYS, largest, entry_id)
        assert callbacks.decode_editor(data).number == largest
