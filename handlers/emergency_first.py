"""An emergency written where the bot would not otherwise read a question.

Someone in a hurry may write the emergency after a command ("/hjelp brann i kjelleren",
"/start pappa puster ikke", "/kontakt Tinn det brenner") or as the caption of a photo sent
from the scene. The command's own handler would show its help text or contact card, and a
photo gets "I read text only". This handler runs before them: the safety layer reads the text
beside the command, or the caption (in a private chat; a group's photos are not addressed to
the bot), and when it recognises anything the message is answered as a question (numbers
first, logged like any emergency) and no other handler sees it. Otherwise it lets the update
through untouched.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes, filters

from bot.services import services
from handlers.common import client_language
from handlers.questions import answer_question

BESIDE = (
    (filters.COMMAND | (filters.CAPTION & filters.ChatType.PRIVATE)) & ~filters.UpdateType.EDITED
)
"""The updates read here: a command (with text after it), or a caption in a private chat."""


def text_beside(message: Message) -> str:
    """The text after the command ("/hjelp@bot brann i kjelleren": "brann i kjelleren"), else
    the caption (`BESIDE` lets captions through from private chats only); "" when there is
    none."""
    if message.text:
        command, *rest = message.text.split(maxsplit=1)
        return rest[0].strip() if command.startswith("/") and rest else ""
    return (message.caption or "").strip()


async def emergency_first(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer an emergency beside a command or in a caption; let anything else through."""
    message = update.message
    if message is None:
        return
    text = text_beside(message)
    if not text:
        return
    language = client_language(update) if update.effective_user else None
    if services(context).engine.safety_check(text, language) is None:
        return
    await answer_question(message, context, text, language)
    raise ApplicationHandlerStop
