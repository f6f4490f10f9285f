"""Emergencies and crises through the production application (`offline_bot`): the reply, the
log row's outcome, and what editors see."""

from __future__ import annotations

import datetime as dt

from tests import updates
from tests.conftest import EDITOR_ID, OfflineBot


async def logged(bot: OfflineBot) -> list:
    log = bot.application.bot_data["services"].question_log
    await log.flush()
    return await log.questions(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))


async def test_an_emergency_gets_the_numbers_at_once_and_nothing_to_press(
    offline_bot: OfflineBot,
) -> None:
    await offline_bot.send(updates.message("det blør kraftig, vi er på Rødberg", user_id=801))
    call = offline_bot.request.last("sendMessage")
    assert call.params["text"].startswith("Ring <b>113</b> nå")
    assert "31 02 40 00" not in call.params["text"]  # never the municipality's switchboard
    assert not call.params.get("reply_markup")
    rows = await logged(offline_bot)
    assert [(row.outcome, row.entry_id) for row in rows] == [("emergency", "safety.medical")]


async def test_a_crisis_is_answered_with_care_and_logged_as_a_crisis(
    offline_bot: OfflineBot,
) -> None:
    await offline_bot.send(updates.message("I don't want to live anymore", user_id=802))
    text = offline_bot.request.last("sendMessage").params["text"]
    assert text.startswith("Call <b>113</b> now") and "<b>116 123</b>" in text
    assert "bot" not in text.lower()
    assert [row.outcome for row in await logged(offline_bot)] == ["crisis"]


async def test_emergencies_stay_out_of_the_editors_unanswered_list(
    editor_bot: OfflineBot,
) -> None:
    await editor_bot.send(updates.message("jeg vil ta livet mitt", user_id=803))
    await editor_bot.send(updates.message("det brenner i garasjen", user_id=803))
    await editor_bot.send(updates.message("når åpner blorfthallen på Qzxby?", user_id=803))
    editor_bot.request.clear()
    await editor_bot.send(updates.message("/ubesvart", user_id=EDITOR_ID))
    text = editor_bot.request.last("sendMessage").params["text"]
    assert "blorfthallen" in text
    assert "livet" not in text and "garasjen" not in text


async def test_an_emergency_after_a_command_gets_the_numbers_not_the_help(
    offline_bot: OfflineBot,
) -> None:
    offline_bot.request.clear()
    await offline_bot.send(updates.message("/hjelp brann i kjelleren!", user_id=804))
    [reply] = offline_bot.request.of("sendMessage")  # the numbers only, no help text first
    assert reply.params["text"].startswith("Ring <b>110</b>")
    offline_bot.request.clear()
    await offline_bot.send(updates.message("/kontakt Tinn pappa puster ikke", user_id=804))
    [reply] = offline_bot.request.of("sendMessage")
    assert "<b>113</b>" in reply.params["text"]
    assert [row.outcome for row in await logged(offline_bot)] == ["emergency", "emergency"]


async def test_a_command_with_an_ordinary_question_does_what_the_command_does(
    offline_bot: OfflineBot,
) -> None:
    await offline_bot.send(updates.message("/hjelp", user_id=805))
    plain_help = offline_bot.request.last("sendMessage").params["text"]
    await offline_bot.send(updates.message("/hjelp hva kan du svare på", user_id=805))
    assert offline_bot.request.last("sendMessage").params["text"] == plain_help
    await offline_bot.send(updates.message("/brannvesen", user_id=805))  # no such command
    assert "<b>110</b>" not in offline_bot.request.last("sendMessage").params["text"]


async def test_a_photo_captioned_with_an_emergency_gets_the_numbers(
    offline_bot: OfflineBot,
) -> None:
    photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]
    offline_bot.request.clear()
    await offline_bot.send(updates.message(photo=photo, caption="LÅVEN BRENNER", user_id=806))
    [reply] = offline_bot.request.of("sendMessage")
    assert "<b>110</b>" in reply.params["text"]
    await offline_bot.send(updates.message(photo=photo, caption="utsikten fra Gaustatoppen",
                                           user_id=806))
    assert "<b>110</b>" not in offline_bot.request.last("sendMessage").params["text"]
