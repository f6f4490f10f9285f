"""Tests for bot/render.py, bot/callbacks.py and bot/vcard.py."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from bot import callbacks
from bot.config import PROJECT_ROOT
from bot.engine import Engine
from bot.knowledge import Contact, load_knowledge
from bot.render import AnswerCache, entry_html, entry_plain, split_message, with_country_code
from bot.vcard import vcard
from handlers.common import entry_keyboard


def test_split_message_keeps_every_piece_within_the_limit() -> None:
    text = "\n\n".join(f"Avsnitt {n}: " + "ord " * 300 for n in range(20))
    pieces = split_message(text, limit=4096)
    assert all(len(piece) <= 4096 for piece in pieces)
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())
    assert split_message("kort") == ["kort"]
    assert all(len(p) <= 10 for p in split_message("x" * 35, limit=10))


def test_phone_numbers_get_the_country_code() -> None:
    assert with_country_code("Ring 35 01 50 00 eller 31024000.") == (
        "Ring +47 35 01 50 00 eller +47 31 02 40 00."
    )
    assert with_country_code("Ring 113 eller 116 117, +47 35 01 50 00") == (
        "Ring 113 eller 116 117, +47 35 01 50 00"
    )


def test_entry_html_escapes_knowledge_and_shows_the_source(engine: Engine) -> None:
    entry = engine.knowledge.entries["contact.notodden"]
    tricky = dataclasses.replace(entry, answer={"nb": "<script>&</script> 35 01 50 00"})
    html = entry_html(tricky, "nb")
    assert "&lt;script&gt;&amp;&lt;/script&gt; +47 35 01 50 00" in html
    assert html.startswith("<b>") and '<a href="https://' in html and "Kilde" in html


def test_small_talk_has_no_source_line(engine: Engine) -> None:
    greeting = next(e for e in engine.knowledge.entries.values() if e.kind == "smalltalk")
    assert "Kilde" not in entry_plain(greeting, "nb")
    assert "Kilde" not in entry_html(greeting, "nb")


def test_callbacks_round_trip_and_reject_forgeries() -> None:
    data = callbacks.encode("feedback", "nn", "contact.nore_og_uvdal", "-123456789012")
    assert len(data.encode()) <= 64
    pressed = callbacks.decode(data)
    assert pressed == callbacks.Callback("feedback", "nn", "contact.nore_og_uvdal",
                                         "-123456789012")
    assert pressed.vote == -1 and pressed.question_ref == 123456789012
    for forged in ("", "2:e:nb:x", "1:e:nb:x:y:z", "1:e:xx:x", "1:q:nb:x", "1:e:nb:X!",
                   "1:f:nb:x:+1e5", "1:e:nb:" + "a" * 70):
        assert callbacks.decode(forged) is None, forged
    with pytest.raises(ValueError):
        callbacks.encode("open", "nb", "Not An Id")


def test_vcard_holds_what_is_known() -> None:
    card = vcard(Contact(name="Nore og Uvdal kommune", phone="31 02 40 00",
                         email="post@noreoguvdal.kommune.no",
                         website="https://www.noreoguvdal.kommune.no",
                         address="Sentrum 16, 3630 Rødberg"))
    lines = card.split("\r\n")
    assert lines[0] == "BEGIN:VCARD" and lines[-1] == "END:VCARD"
    assert "TEL;TYPE=WORK,VOICE:+4731024000" in lines
    assert "EMAIL;TYPE=INTERNET,WORK:post@noreoguvdal.kommune.no" in lines
    assert "ADR;TYPE=WORK:;;Sentrum 16\\, 3630 Rødberg;;;;Norge" in lines
    assert "TEL" not in vcard(Contact(name="Tinn kommune"))


def test_small_talk_is_a_reply_without_a_title() -> None:
    knowledge = load_knowledge(PROJECT_ROOT / "knowledge")
    thanks = knowledge.entries["smalltalk.thanks"]
    assert not entry_html(thanks, "nb").startswith("<b>")
    assert entry_plain(thanks, "nb") == thanks.answer_in("nb")
    card = knowledge.entries["municipality.flesberg"]
    assert entry_html(card, "nb").startswith("<b>Flesberg kommune</b>")
    assert "Buskerud (i 2020–2023 var kommunen en del av Viken)" in card.answer_in("nb")


def test_answers_are_rendered_once_per_knowledge_load(engine: Engine) -> None:
    layouts: list[str] = []
    cache = AnswerCache(lambda entry, knowledge, language: layouts.append(entry.id) or language)
    knowledge = engine.knowledge
    entry = knowledge.entries["contact.notodden"]
    first = cache.get(knowledge, entry, "nb")
    assert cache.get(knowledge, entry, "nb") is first and layouts == ["contact.notodden"]
    assert first.pieces == tuple(split_message(entry_html(entry, "nb")))
    assert cache.get(knowledge, entry, "en").keyboard == "en" and len(layouts) == 2
    reloaded = load_knowledge(knowledge.directory)  # /oppdater: a new knowledge base
    again = cache.get(reloaded, reloaded.entries["contact.notodden"], "nb")
    assert again is not first and len(layouts) == 3
    changed = dataclasses.replace(entry, answer={"nb": "Nytt svar 35 01 50 00"})
    assert "+47 35 01 50 00" in cache.get(reloaded, changed, "nb").pieces[0]
    assert cache.get(reloaded, reloaded.entries["contact.notodden"], "nb") is again


def test_a_cached_keyboard_gets_only_the_question_id_filled_in(engine: Engine) -> None:
    knowledge = engine.knowledge
    entry = knowledge.entries["contact.notodden"]
    first = entry_keyboard(entry, knowledge, "nb", 42).to_dict()
    second = entry_keyboard(entry, knowledge, "nb", 9_223_372_036_854_775_807).to_dict()
    data = [[b["callback_data"] for b in row] for row in first["inline_keyboard"]]
    other = [[b["callback_data"] for b in row] for row in second["inline_keyboard"]]
    assert data[:-1] == other[:-1]  # related entries and the contact card: the same
    assert data[-1] == ["1:f:nb:contact.notodden:+42", "1:f:nb:contact.notodden:-42"]
    assert other[-1][0].endswith(":+9223372036854775807")
    assert all(callbacks.decode(d) is not None for row in data + other for d in row)
    plain = entry_keyboard(entry, knowledge, "nb", feedback=False)
    assert plain.to_dict()["inline_keyboard"] == first["inline_keyboard"][:-1]


def test_an_entry_shows_the_sources_of_the_facts_it_cites(engine: Engine) -> None:
    card = engine.knowledge.entries["municipality.hjartdal"]
    plain, html = entry_plain(card, "nb"), entry_html(card, "nb")
    assert plain.endswith("Kilder: https://snl.no/Kongsberg, https://snl.no/Notodden, "
                          "https://snl.no/Hjartdal, https://snl.no/Tinn, "
                          + engine.knowledge.sources.sources["seed"].url)
    assert "sjekket" not in plain  # the fact sheet records no date of reading
    assert '<a href="https://snl.no/Hjartdal">snl.no/Hjartdal</a>' in html
    assert '>notodden.kommune.no</a>' in html  # the strategy plan's long address, shortened
    assert "hjartdal.kommune.no" not in plain.split("Kilder:")[1]  # the 2018 phone's source


def test_a_recorded_reading_date_is_shown(engine: Engine) -> None:
    entry = engine.knowledge.entries["council.founded"]
    seed = entry.sources[0]
    read = dataclasses.replace(entry, checked=datetime.date(2026, 1, 15))
    assert entry_plain(read, "nn").endswith(f"Kjelde: {seed.url} (sjekka 15.01.2026)")
    unsourced = engine.knowledge.entries["contact.flesberg"]  # the sheet names no source
    assert "Kilde" not in entry_plain(unsourced, "nb")
