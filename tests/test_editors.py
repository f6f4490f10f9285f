"""Handler tests for handlers/editors.py: the editors' commands and buttons, offline.

`editor_bot` is the production application with EDITOR_ID as editor and a temporary copy of
knowledge/, so adding variants never touches the shipped learned.yaml. Expectations about
answers are derived from the engine, never from exact matcher scores.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
from pathlib import Path

import pytest
import yaml

from bot import callbacks
from bot.app import build_application
from bot.config import PROJECT_ROOT, Config
from bot.engine import Engine, Outcome
from bot.render import TELEGRAM_LIMIT
from handlers import editors
from tests import updates
from tests.conftest import EDITOR_ID, OfflineBot
from tests.recording_request import Call, RecordingRequest, button_data, button_texts
from tests.test_learned import unanswered_with_candidates

USER_ID = 101
GROUP_ID = -100500
# Questions no knowledge base could answer, whatever the matcher's tuning.
SWIM = ("Når åpner <b>blorfthallen</b> på Qzxby?", "når åpner <b>blorfthallen</b> på qzxby")
NONSENSE = "Qwerty zxcvb asdfg?"
WORDS = ("blorft", "snirkel", "quambo", "frizzle", "trobnak", "vexillum")
EDITOR_COMMANDS = ("/ubesvart", "/unanswered", "/statistikk", "/stats", "/eksport", "/export",
                   "/oppdater", "/reload", "/ubesvart 7", "/eksport 30", "/ubesvart abc")


def editor_buttons(call: Call) -> list[callbacks.EditorCallback]:
    decoded = [callbacks.decode_editor(data) for data in button_data(call)]
    assert all(decoded), button_data(call)
    return decoded


async def ask(bot: OfflineBot, text: str, user_id: int = USER_ID) -> None:
    await bot.send(updates.message(text, user_id=user_id))


async def statuses(bot: OfflineBot) -> dict[str, str]:
    log = bot.application.bot_data["services"].question_log
    rows = await log.questions(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    return {row.text: row.status for row in rows}


async def review_list(bot: OfflineBot) -> Call:
    bot.request.clear()
    await bot.send(updates.message("/ubesvart", user_id=EDITOR_ID))
    return bot.request.last("sendMessage")


async def press(bot: OfflineBot, data: str, user_id: int = EDITOR_ID) -> None:
    await bot.send(updates.callback(data, user_id=user_id))


def action_data(call: Call, action: str) -> str:
    """The callback data of the `action` button of a message."""
    return next(data for data in button_data(call)
                if callbacks.decode_editor(data).action == action)


async def save(bot: OfflineBot, call: Call) -> None:
    """Press «Lagre» on a variant's preview."""
    assert "Lagre som variant?" in call.params["text"]
    await press(bot, action_data(call, "save"))


# --- authorisation --------------------------------------------------------------------------


@pytest.mark.parametrize("command", EDITOR_COMMANDS)
async def test_non_editors_get_the_unknown_command_reply(
    editor_bot: OfflineBot, command: str
) -> None:
    await ask(editor_bot, "/finnesikke")
    unknown = [(c.method, c.params) for c in editor_bot.request.calls]
    editor_bot.request.clear()
    await ask(editor_bot, command)
    assert [(c.method, c.params) for c in editor_bot.request.calls] == unknown


@pytest.mark.parametrize("command", EDITOR_COMMANDS)
@pytest.mark.parametrize("user_id", [USER_ID, EDITOR_ID])
async def test_editor_commands_in_groups_reveal_nothing(
    editor_bot: OfflineBot, command: str, user_id: int
) -> None:
    await editor_bot.send(updates.message(command, user_id=user_id, chat_id=GROUP_ID,
                                          chat_type="supergroup"))
    assert editor_bot.request.calls == []


async def test_forged_editor_buttons_get_the_stale_answer_only(
    editor_bot: OfflineBot, editor_engine: Engine, knowledge_copy: Path
) -> None:
    question, entry_id = unanswered_with_candidates(editor_engine)
    await ask(editor_bot, question)
    ref = editor_buttons(await review_list(editor_bot))[0].number
    learned = (knowledge_copy / "learned.yaml").read_bytes()
    await editor_bot.send(updates.callback("garbage"))
    stale = editor_bot.request.last("answerCallbackQuery").params
    forged = [callbacks.encode_editor(action, 30, ref) for action in
              ("page", "back", "resolve", "ignore", "variant", "search")]
    forged.append(callbacks.encode_editor("add", 30, ref, entry_id))
    for data in forged:
        editor_bot.request.clear()
        await press(editor_bot, data, user_id=USER_ID)
        assert [(c.method, c.params["text"]) for c in editor_bot.request.calls] == [
            ("answerCallbackQuery", stale["text"])
        ]
    assert (knowledge_copy / "learned.yaml").read_bytes() == learned
    assert (await statuses(editor_bot))[question] == "open"
    assert "search" not in str(editor_bot.application.user_data.get(USER_ID, {}))


@pytest.mark.parametrize("data", ["e1:zz:30:1", "e1:to:30:1", "e1:pg:0:1", "e1:ok:30:x"])
async def test_malformed_editor_buttons_are_stale_for_editors_too(
    editor_bot: OfflineBot, data: str
) -> None:
    await press(editor_bot, data)
    assert [c.method for c in editor_bot.request.calls] == ["answerCallbackQuery"]
    assert "virker ikke lenger" in editor_bot.request.last("answerCallbackQuery").params["text"]


# --- the review list ------------------------------------------------------------------------


def test_the_questions_used_here_are_unanswered(editor_engine: Engine) -> None:
    for question in (*SWIM, NONSENSE, *(f"Qwx {word} zzv?" for word in WORDS)):
        assert editor_engine.ask(question).outcome is Outcome.UNANSWERED, question


async def test_the_list_groups_escapes_and_counts(editor_bot: OfflineBot) -> None:
    await ask(editor_bot, SWIM[0], user_id=1)
    await ask(editor_bot, SWIM[1], user_id=2)
    await ask(editor_bot, SWIM[0], user_id=2)
    call = await review_list(editor_bot)
    text = call.params["text"]
    assert text.startswith("<b>Ubesvarte spørsmål – siste 30 dager</b>")
    assert "&lt;b&gt;blorfthallen&lt;/b&gt;" in text and "<b>blorfthallen" not in text
    assert "3 ganger · 2 personer" in text
    assert [b.action for b in editor_buttons(call)] == ["resolve", "ignore", "variant"]
    assert button_texts(call) == ["✅ 1. Løst", "🙈 1. Ignorer", "➕ 1. Legg til som variant…"]


async def test_an_empty_list_and_english(editor_bot: OfflineBot) -> None:
    await editor_bot.send(updates.message("/unanswered 7", user_id=EDITOR_ID,
                                          language_code="en"))
    call = editor_bot.request.last("sendMessage")
    assert "No open unanswered questions in the last 7 days" in call.params["text"]
    assert "reply_markup" not in call.params


async def test_a_bad_number_of_days_gets_the_usage(editor_bot: OfflineBot) -> None:
    await editor_bot.send(updates.message("/ubesvart mange", user_id=EDITOR_ID))
    assert "Bruk: /ubesvart [dager]" in editor_bot.request.last("sendMessage").params["text"]


async def test_paging_with_arrows(editor_bot: OfflineBot) -> None:
    for word in WORDS:
        await ask(editor_bot, f"Qwx {word} zzv?")
    first = await review_list(editor_bot)
    assert "Side 1 av 2" in first.params["text"]
    arrows = [b for b in editor_buttons(first) if b.action == "page"]
    assert [(b.number, b.days) for b in arrows] == [(2, 30)]
    assert button_texts(first)[-1] == "▶"
    await press(editor_bot, button_data(first)[-1])
    second = editor_bot.request.last("editMessageText")
    assert "Side 2 av 2" in second.params["text"] and "<b>5.</b>" in second.params["text"]
    assert button_texts(second)[-1] == "◀"


async def test_resolve_and_ignore_mark_the_whole_group(editor_bot: OfflineBot) -> None:
    await ask(editor_bot, SWIM[0], user_id=1)
    await ask(editor_bot, SWIM[1], user_id=2)
    await ask(editor_bot, NONSENSE)
    call = await review_list(editor_bot)
    resolve = next(data for data in button_data(call) if ":ok:" in data)
    await press(editor_bot, resolve)
    assert editor_bot.request.last("answerCallbackQuery").params["text"] == (
        "Markert som løst (2 spørsmål)."
    )
    after = editor_bot.request.last("editMessageText").params["text"]
    assert "blorfthallen" not in after and "Qwerty" in after
    marked = await statuses(editor_bot)
    assert marked[SWIM[0]] == marked[SWIM[1]] == "resolved"
    ignore = next(data for data in button_data(await review_list(editor_bot)) if ":ig:" in data)
    await press(editor_bot, ignore)
    assert (await statuses(editor_bot))[NONSENSE] == "ignored"
    assert "Ingen åpne" in editor_bot.request.last("editMessageText").params["text"]
    editor_bot.request.clear()
    await press(editor_bot, resolve)
    assert "allerede behandlet" in editor_bot.request.last("answerCallbackQuery").params["text"]


# --- add as variant ---------------------------------------------------------------------------


async def test_add_as_variant_round_trip(
    editor_bot: OfflineBot, editor_engine: Engine, knowledge_copy: Path
) -> None:
    shipped = (PROJECT_ROOT / "knowledge" / "learned.yaml").read_bytes()
    question, _ = unanswered_with_candidates(editor_engine)
    await ask(editor_bot, question)
    assert "vet jeg dessverre ikke" in editor_bot.request.last("sendMessage").params["text"]
    variant = next(d for d in button_data(await review_list(editor_bot)) if ":ad:" in d)
    await press(editor_bot, variant)
    choices = editor_bot.request.last("editMessageText")
    assert "Legg til som variant" in choices.params["text"]
    offered = [b for b in editor_buttons(choices) if b.action == "add"]
    ranking = editor_engine.rank(question, everything=True)
    expected = [c.entry.id for c in ranking.candidates[:len(offered)]]
    assert [b.entry_id for b in offered] == expected
    assert {b.action for b in editor_buttons(choices)} == {"add", "search", "back"}
    chosen = offered[0].entry_id
    learned = (knowledge_copy / "learned.yaml").read_bytes()
    await press(editor_bot, callbacks.encode_editor("add", 30, offered[0].number, chosen))
    preview = editor_bot.request.last("editMessageText")
    assert f"<code>{html.escape(question, quote=False)}</code>" in preview.params["text"]
    assert (knowledge_copy / "learned.yaml").read_bytes() == learned, "saved before «Lagre»"
    await save(editor_bot, preview)
    done = editor_bot.request.last("editMessageText").params["text"]
    title = editor_engine.knowledge.entries[chosen].title_in("nb")
    assert "Lagt til som variant" in done and "Nå svarer boten på" in done
    assert yaml.safe_load((knowledge_copy / "learned.yaml").read_text(encoding="utf-8")) == {
        "questions": {chosen: [question]}
    }
    assert (await statuses(editor_bot))[question] == "resolved"
    editor_bot.request.clear()
    await ask(editor_bot, question, user_id=202)
    answer = editor_bot.request.last("sendMessage").params["text"]
    assert answer.startswith(f"<b>{html.escape(title)}</b>")
    assert html.escape(title, quote=False) in done
    assert editor_engine.ask(question).entry.id == chosen
    assert (PROJECT_ROOT / "knowledge" / "learned.yaml").read_bytes() == shipped


async def test_search_for_the_entry_by_typing(
    editor_bot: OfflineBot, editor_engine: Engine, knowledge_copy: Path
) -> None:
    await ask(editor_bot, NONSENSE)
    variant = next(d for d in button_data(await review_list(editor_bot)) if ":ad:" in d)
    await press(editor_bot, variant)
    search = next(d for d in button_data(editor_bot.request.last("editMessageText"))
                  if ":sk:" in d)
    await press(editor_bot, search)
    assert "Skriv et søkeord" in editor_bot.request.last("editMessageText").params["text"]
    before = await statuses(editor_bot)
    editor_bot.request.clear()
    await ask(editor_bot, "contact.tinn", user_id=EDITOR_ID)
    results = editor_bot.request.last("sendMessage")
    assert "Treff for" in results.params["text"]
    offered = [b for b in editor_buttons(results) if b.action == "add"]
    assert offered[0].entry_id == "contact.tinn"
    assert await statuses(editor_bot) == before, "a search is not logged as a question"
    await press(editor_bot, button_data(results)[0])
    await save(editor_bot, editor_bot.request.last("editMessageText"))
    assert "Lagt til som variant" in editor_bot.request.last("editMessageText").params["text"]
    learned = yaml.safe_load((knowledge_copy / "learned.yaml").read_text(encoding="utf-8"))
    assert learned == {"questions": {"contact.tinn": [NONSENSE]}}
    editor_bot.request.clear()
    await ask(editor_bot, "tlf notodden", user_id=EDITOR_ID)
    assert "35 01 50 00" in editor_bot.request.last("sendMessage").params["text"]


async def test_a_search_finds_titles_and_says_when_nothing_fits(
    editor_bot: OfflineBot, editor_engine: Engine
) -> None:
    await ask(editor_bot, NONSENSE)
    ref = editor_buttons(await review_list(editor_bot))[0].number
    await press(editor_bot, callbacks.encode_editor("search", 30, ref))
    await ask(editor_bot, "<b>xyzzy</b>", user_id=EDITOR_ID)
    nothing = editor_bot.request.last("sendMessage").params["text"]
    assert "Ingen oppføringer passet" in nothing and "&lt;b&gt;xyzzy" in nothing
    await press(editor_bot, callbacks.encode_editor("search", 30, ref))
    title = editor_engine.knowledge.entries["contact.notodden"].title_in("nb")
    await ask(editor_bot, title.lower(), user_id=EDITOR_ID)
    found = editor_buttons(editor_bot.request.last("sendMessage"))
    assert "contact.notodden" in [b.entry_id for b in found if b.action == "add"]


async def test_adding_when_the_knowledge_base_is_broken_undoes_and_shows_why(
    editor_bot: OfflineBot, editor_engine: Engine, knowledge_copy: Path
) -> None:
    question, entry_id = unanswered_with_candidates(editor_engine)
    await ask(editor_bot, question)
    ref = editor_buttons(await review_list(editor_bot))[0].number
    learned = (knowledge_copy / "learned.yaml").read_bytes()
    council = knowledge_copy / "council.yaml"
    council.write_text(council.read_text(encoding="utf-8") + "\n  - id: <b>broken</b>\n",
                       encoding="utf-8")
    await press(editor_bot, callbacks.encode_editor("add", 30, ref, entry_id))
    await save(editor_bot, editor_bot.request.last("editMessageText"))
    text = editor_bot.request.last("editMessageText").params["text"]
    assert "Kunne ikke legge til varianten" in text
    assert "council.yaml:" in text and "<b>broken" not in text and "&lt;b&gt;" in text
    assert (knowledge_copy / "learned.yaml").read_bytes() == learned
    assert (await statuses(editor_bot))[question] == "open"
    assert editor_engine.ask(question).outcome is Outcome.UNANSWERED


# --- statistics, export, reload, menus, digest ----------------------------------------------


async def test_statistics_text_and_chart(editor_bot: OfflineBot) -> None:
    await ask(editor_bot, "tlf notodden")
    await ask(editor_bot, "Qwerty <i>zxcvb</i> asdfg?")
    editor_bot.request.clear()
    await editor_bot.send(updates.message("/statistikk", user_id=EDITOR_ID))
    text = "\n".join(c.params["text"] for c in editor_bot.request.of("sendMessage"))
    assert "Statistikk – siste 7 dager" in text and "Statistikk – siste 30 dager" in text
    assert "Spørsmål: 2 fra 1 person" in text
    assert "&lt;i&gt;zxcvb" in text and "<i>" not in text
    photo = editor_bot.request.last("sendPhoto")
    _, data, _ = photo.files["photo"]
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Spørsmål per dag" in photo.params["caption"]


async def test_export_sends_a_csv_document(editor_bot: OfflineBot) -> None:
    await ask(editor_bot, "Hva er æøå; «sitat»?")
    await editor_bot.send(updates.message("/eksport 7", user_id=EDITOR_ID))
    document = editor_bot.request.last("sendDocument")
    name, data, _ = document.files["document"]
    assert name.startswith("sporsmalslogg-") and name.endswith(".csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["id", "asked_at", "text"] and rows[1][2] == "Hva er æøå; «sitat»?"
    assert "1 spørsmål" in document.params["caption"]


async def test_reload_reports_problems_and_keeps_the_old_knowledge(
    editor_bot: OfflineBot, knowledge_copy: Path
) -> None:
    await editor_bot.send(updates.message("/oppdater", user_id=EDITOR_ID))
    assert "er lastet på nytt" in editor_bot.request.last("sendMessage").params["text"]
    menus = editor_bot.request.of("setMyCommands")
    assert menus and all(m.params["scope"]["chat_id"] == EDITOR_ID for m in menus)
    broken = "".join(f"  - id: <x{n}>\n" for n in range(300))
    (knowledge_copy / "zz_broken.yaml").write_text("entries:\n" + broken, encoding="utf-8")
    editor_bot.request.clear()
    await editor_bot.send(updates.message("/reload", user_id=EDITOR_ID, language_code="en"))
    pieces = [c.params["text"] for c in editor_bot.request.of("sendMessage")]
    assert len(pieces) > 1 and all(len(piece) <= TELEGRAM_LIMIT for piece in pieces)
    assert pieces[0].startswith("The knowledge base has")
    assert "zz_broken.yaml:2: " in pieces[0] and "&lt;x0&gt;" in pieces[0]
    assert "<x" not in "".join(pieces)
    assert "python -m bot check" in pieces[-1]
    await ask(editor_bot, "tlf notodden")
    assert "35 01 50 00" in editor_bot.request.last("sendMessage").params["text"]


async def test_editor_menus_only_in_editors_chats(
    editor_config: Config, editor_engine: Engine
) -> None:
    request = RecordingRequest()
    application = build_application(editor_config, editor_engine, request=request)
    async with application:
        await application.post_init(application)
        await application.post_shutdown(application)
    menus = request.of("setMyCommands")
    public = [m for m in menus if "scope" not in m.params]
    private = [m for m in menus if "scope" in m.params]
    assert len(public) == 2 and len(private) == 2
    for menu in public:
        assert not {"ubesvart", "unanswered"} & {c["command"] for c in menu.params["commands"]}
    assert all(m.params["scope"] == {"type": "chat", "chat_id": EDITOR_ID} for m in private)
    names = [c["command"] for c in private[0].params["commands"]]
    assert names[:2] == ["start", "hjelp"] and "ubesvart" in names and "oppdater" in names
    assert "unanswered" in [c["command"] for c in private[1].params["commands"]]
    assert private[1].params["language_code"] == "en"


async def test_the_digest_sends_new_groups_once(editor_bot: OfflineBot) -> None:
    await ask(editor_bot, SWIM[0])
    editor_bot.request.clear()
    assert await editors.send_digest(editor_bot.application) == 1
    digest = editor_bot.request.last("sendMessage").params
    assert digest["chat_id"] == EDITOR_ID
    assert "Nye ubesvarte spørsmål siden" in digest["text"]
    assert "&lt;b&gt;blorfthallen" in digest["text"]
    editor_bot.request.clear()
    assert await editors.send_digest(editor_bot.application) == 0
    assert editor_bot.request.calls == []


async def test_the_digest_is_scheduled_at_the_configured_oslo_time(
    editor_config: Config, editor_engine: Engine
) -> None:
    config = dataclasses.replace(
        editor_config, editors=dataclasses.replace(editor_config.editors, digest_time="07:30")
    )
    application = build_application(config, editor_engine, request=RecordingRequest())
    jobs = application.job_queue.get_jobs_by_name(editors.DIGEST_JOB)
    assert len(jobs) == 1
    trigger = jobs[0].trigger
    assert "hour='7'" in str(trigger) and "minute='30'" in str(trigger)
    assert "Europe/Oslo" in str(trigger.timezone)
    unscheduled = build_application(editor_config, editor_engine, request=RecordingRequest())
    assert unscheduled.job_queue.get_jobs_by_name(editors.DIGEST_JOB) == ()


# --- the variant's text, shown and editable before it is saved --------------------------------


async def variant_preview(bot: OfflineBot, entry_id: str) -> Call:
    """Open the first group's «Legg til som variant…» and choose `entry_id`."""
    ref = editor_buttons(await review_list(bot))[0].number
    await press(bot, callbacks.encode_editor("add", 30, ref, entry_id))
    return bot.request.last("editMessageText")


def learned_questions(knowledge_copy: Path) -> dict:
    return yaml.safe_load((knowledge_copy / "learned.yaml").read_text(encoding="utf-8"))


async def test_masked_text_is_shown_and_must_be_edited_before_it_is_saved(
    editor_bot: OfflineBot, editor_engine: Engine, knowledge_copy: Path
) -> None:
    await ask(editor_bot, "ring meg på 912 34 567 om åpningstidene til qzxby-badet")
    preview = await variant_preview(editor_bot, "contact.tinn")
    text = preview.params["text"]
    assert "<code>ring meg på [telefon] om åpningstidene til qzxby-badet</code>" in text
    assert "plassholder" in text
    assert [b.action for b in editor_buttons(preview)] == ["back"], "no «Lagre» for this"
    learned = (knowledge_copy / "learned.yaml").read_bytes()
    await press(editor_bot, callbacks.encode_editor("save", 30, editor_buttons(preview)[0].number))
    assert (knowledge_copy / "learned.yaml").read_bytes() == learned
    editor_bot.request.clear()
    await ask(editor_bot, "Hva er åpningstidene til qzxby-badet?", user_id=EDITOR_ID)
    edited = editor_bot.request.last("sendMessage")
    assert "<code>Hva er åpningstidene til qzxby-badet?</code>" in edited.params["text"]
    assert await statuses(editor_bot) == {
        "ring meg på [telefon] om åpningstidene til qzxby-badet": "open"
    }, "the editor's text is not logged as a question"
    await save(editor_bot, edited)
    assert "Lagt til som variant" in editor_bot.request.last("editMessageText").params["text"]
    assert learned_questions(knowledge_copy) == {
        "questions": {"contact.tinn": ["Hva er åpningstidene til qzxby-badet?"]}
    }
    assert set((await statuses(editor_bot)).values()) == {"resolved"}
    assert editor_engine.ask("Hva er åpningstidene til qzxby-badet?").entry.id == "contact.tinn"


async def test_personal_data_typed_by_the_editor_is_refused(
    editor_bot: OfflineBot, knowledge_copy: Path
) -> None:
    await ask(editor_bot, NONSENSE)
    await variant_preview(editor_bot, "contact.tinn")
    await ask(editor_bot, "send svar til kari@example.no", user_id=EDITOR_ID)
    refused = editor_bot.request.last("sendMessage")
    assert "personopplysninger" in refused.params["text"]
    assert [b.action for b in editor_buttons(refused)] == ["back"]
    await ask(editor_bot, "x" * 301, user_id=EDITOR_ID)
    assert "for lang" in editor_bot.request.last("sendMessage").params["text"]
    assert learned_questions(knowledge_copy) == {"questions": {}}


async def test_cancel_saves_nothing_and_later_texts_are_questions_again(
    editor_bot: OfflineBot, knowledge_copy: Path
) -> None:
    await ask(editor_bot, NONSENSE)
    preview = await variant_preview(editor_bot, "contact.tinn")
    assert [b.action for b in editor_buttons(preview)] == ["save", "back"]
    assert button_texts(preview) == ["💾 Lagre", "✖ Avbryt"]
    await press(editor_bot, action_data(preview, "back"))
    assert "Ubesvarte spørsmål" in editor_bot.request.last("editMessageText").params["text"]
    editor_bot.request.clear()
    await press(editor_bot, action_data(preview, "save"))
    assert editor_bot.request.last("answerCallbackQuery").params["show_alert"] is True
    assert "ikke lenger aktivt" in editor_bot.request.last("answerCallbackQuery").params["text"]
    await ask(editor_bot, "tlf notodden", user_id=EDITOR_ID)
    assert "35 01 50 00" in editor_bot.request.last("sendMessage").params["text"]
    assert learned_questions(knowledge_copy) == {"questions": {}}
    assert (await statuses(editor_bot))[NONSENSE] == "open"


async def test_a_pending_variant_expires(
    editor_bot: OfflineBot, knowledge_copy: Path
) -> None:
    await ask(editor_bot, NONSENSE)
    preview = await variant_preview(editor_bot, "contact.tinn")
    user_data = editor_bot.application.user_data[EDITOR_ID]
    pending = user_data[editors.VARIANT_KEY]
    assert pending.text == NONSENSE
    assert pending.expires - editors.time.monotonic() > (editors.PENDING_MINUTES - 1) * 60
    user_data[editors.VARIANT_KEY] = dataclasses.replace(pending, expires=0.0)
    await ask(editor_bot, "tlf notodden", user_id=EDITOR_ID)
    assert "35 01 50 00" in editor_bot.request.last("sendMessage").params["text"]
    await press(editor_bot, action_data(preview, "save"))
    assert "ikke lenger aktivt" in editor_bot.request.last("answerCallbackQuery").params["text"]
    assert learned_questions(knowledge_copy) == {"questions": {}}


async def test_an_export_too_large_for_telegram_says_so(
    editor_bot: OfflineBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await ask(editor_bot, "tlf notodden")
    monkeypatch.setattr(editors, "MAX_DOCUMENT_BYTES", 100)
    await editor_bot.send(updates.message("/eksport", user_id=EDITOR_ID))
    assert not editor_bot.request.of("sendDocument")
    assert "Velg færre dager" in editor_bot.request.last("sendMessage").params["text"]
