"""The editors' review list: questions the bot did not answer well, near-duplicates grouped.

A logged question needs review when the bot could not answer it (outcome "unanswered"), when
the asker rated the answer 👎, or when none of the "Mente du …?" suggestions fitted (choice
"none"). Questions are grouped when their masked, normalised text is nearly the same
(rapidfuzz `token_set_ratio` of at least SIMILARITY, and `token_sort_ratio` of at least
ORDER_SIMILARITY, so that neither "tinn" swallows every question that mentions Tinn, nor
"hvordan søker jeg jobb" joins "hvordan søker jeg barnehageplass"). Groups are listed most frequent
first; each has a count, the number of distinct askers (hashed user ids) and when it was last
asked. Both `/ubesvart` in Telegram and `python -m bot log list` show them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.localtime import days_ago, short_when
from bot.markup import Markup
from bot.storage import STATUSES, LoggedQuestion, QuestionLog
from bot.texts import counted, say

REVIEW_DAYS = 30
PAGE_SIZE = 4
MAX_VARIANTS_SHOWN = 3
SIMILARITY = 85.0
ORDER_SIMILARITY = 75.0
UNANSWERED = "unanswered"
DISLIKED = "disliked"
NONE_FITTED = "none"
REASONS = (UNANSWERED, DISLIKED, NONE_FITTED)
_NOT_WORD = re.compile(r"[^\w]+|_+")


def reason(question: LoggedQuestion) -> str | None:
    """Why `question` needs an editor's eye (unanswered, disliked, none), or None."""
    if question.outcome == UNANSWERED:
        return UNANSWERED
    if question.choice == "none":
        return NONE_FITTED
    if question.feedback is not None and question.feedback < 0:
        return DISLIKED
    return None


def normalise(text: str) -> str:
    """Lower-case words only: what grouping compares."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def similar(first: str, second: str, threshold: float = SIMILARITY) -> bool:
    """Whether two normalised questions are near-duplicates."""
    return (
        fuzz.token_set_ratio(first, second) >= threshold
        and fuzz.token_sort_ratio(first, second) >= ORDER_SIMILARITY
    )


@dataclass(frozen=True)
class Group:
    """Near-duplicate questions that need review, newest first."""

    questions: tuple[LoggedQuestion, ...]

    @property
    def ref(self) -> int:
        """The id of the newest question: how buttons and the CLI name the group."""
        return self.questions[0].id

    @property
    def ids(self) -> list[int]:
        """Every question's id."""
        return [question.id for question in self.questions]

    @property
    def count(self) -> int:
        """How many times it was asked."""
        return len(self.questions)

    @property
    def askers(self) -> int:
        """Distinct askers (hashed user ids; the terminal chat counts as one)."""
        return len({question.user_hash for question in self.questions})

    @property
    def last_asked(self) -> dt.datetime:
        """When it was asked last."""
        return self.questions[0].asked_at

    @property
    def text(self) -> str:
        """The most frequent wording, as last written (the newest among equals)."""
        counts = Counter(normalise(question.text) for question in self.questions)
        best = max(counts.values())
        return next(q.text.strip() for q in self.questions if counts[normalise(q.text)] == best)

    @property
    def variants(self) -> list[str]:
        """The other wordings, newest first, without repeats."""
        seen = {normalise(self.text)}
        others = []
        for question in self.questions:
            key = normalise(question.text)
            if key not in seen:
                seen.add(key)
                others.append(question.text.strip())
        return others

    @property
    def reasons(self) -> Counter:
        """How many questions need review for each reason."""
        return Counter(reason(question) for question in self.questions)

    @property
    def statuses(self) -> Counter:
        """How many questions are open, resolved or ignored."""
        return Counter(question.status for question in self.questions)


def group_questions(
    questions: Iterable[LoggedQuestion], threshold: float = SIMILARITY
) -> list[Group]:
    """Near-duplicates grouped, most frequent first (then most recently asked)."""
    newest_first = sorted(questions, key=lambda q: (q.asked_at, q.id), reverse=True)
    keys: list[str] = []
    members: list[list[LoggedQuestion]] = []
    exact: dict[str, int] = {}
    for question in newest_first:
        key = normalise(question.text)
        index = exact.get(key)
        if index is None:
            index = _nearest(key, keys, threshold)
        if index is None:
            index = len(keys)
            keys.append(key)
            members.append([])
        exact.setdefault(key, index)
        members[index].append(question)
    groups = [Group(tuple(found)) for found in members]
    return sorted(groups, key=lambda g: (g.count, g.last_asked, g.ref), reverse=True)


def _nearest(key: str, keys: Sequence[str], threshold: float) -> int | None:
    """The index of the most similar group key, if any is similar enough.

    The word-order guard (token_sort_ratio) is the cheaper scorer, so it picks the candidates
    and token_set_ratio decides among them.
    """
    if not key:
        return None
    candidates = process.extract(
        key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=ORDER_SIMILARITY, limit=None
    )
    best: tuple[float, int] | None = None
    for _, _, index in candidates:
        score = fuzz.token_set_ratio(key, keys[index], score_cutoff=threshold)
        if score and (best is None or score > best[0]):
            best = (score, index)
    return best[1] if best else None


def needing_review(
    questions: Iterable[LoggedQuestion], statuses: Sequence[str] = ("open",)
) -> list[LoggedQuestion]:
    """The questions that need review and have one of `statuses`."""
    return [q for q in questions if reason(q) is not None and q.status in statuses]


async def review_groups(
    question_log: QuestionLog,
    days: int = REVIEW_DAYS,
    statuses: Sequence[str] = ("open",),
    now: dt.datetime | None = None,
) -> list[Group]:
    """The review list for the last `days` days."""
    questions = await question_log.questions(days_ago(days, now))
    return group_questions(needing_review(questions, statuses))


def find_group(groups: Sequence[Group], question_id: int) -> tuple[int, Group] | None:
    """The position and group holding question `question_id`, if it is in the list."""
    for position, group in enumerate(groups):
        if question_id in group.ids:
            return position, group
    return None


async def mark_group(
    question_log: QuestionLog, question_id: int, status: str, days: int = REVIEW_DAYS
) -> list[int]:
    """Mark the open group of `question_id` with `status`; the ids marked ([] if not open)."""
    found = find_group(await review_groups(question_log, days), question_id)
    if found is None:
        return []
    ids = found[1].ids
    await question_log.set_status(ids, status)
    return ids


# --- views (Telegram HTML and plain text alike) ---------------------------------------------


def page_count(groups: Sequence[Group], size: int = PAGE_SIZE) -> int:
    """How many pages the list has (at least one)."""
    return max(1, -(-len(groups) // size))


def page_of(position: int, size: int = PAGE_SIZE) -> int:
    """The page (from 1) showing the group at `position` (from 0)."""
    return position // size + 1


def render_group(
    group: Group, number: int, language: str, markup: Markup, *, detail: bool = False
) -> str:
    """One group: its wording, how often and by how many, why, and other wordings.

    `detail` (the command line) adds the ID to act on and the statuses.
    """
    line = say("review_line", language, times=counted("times", group.count, language),
               people=counted("people", group.askers, language),
               when=short_when(group.last_asked))
    why = ", ".join(
        f"{say('reason_' + name, language)} {group.reasons[name]}"
        for name in REASONS if group.reasons[name]
    )
    parts = [line, why]
    if detail:
        parts.insert(0, say("review_ref", language, ref=str(group.ref)))
        statuses = group.statuses
        if set(statuses) != {"open"}:
            parts.append(", ".join(f"{say('status_' + status, language)} {statuses[status]}"
                                   for status in STATUSES if statuses[status]))
    lines = [f"{markup.bold(f'{number}.')} {markup.quote(group.text)}",
             "   " + markup.text(" · ".join(parts))]
    variants = group.variants[:MAX_VARIANTS_SHOWN]
    if variants:
        more = ", …" if len(group.variants) > len(variants) else ""
        quoted = ", ".join(markup.quote(variant, limit=60) for variant in variants) + more
        lines.append("   " + say("review_also", language, variants=quoted))
    return "\n".join(lines)


def render_list(
    groups: Sequence[Group],
    days: int,
    language: str,
    markup: Markup,
    *,
    page: int | None = None,
    detail: bool = False,
) -> str:
    """The review list: a title, a summary and the groups (one page of them, if `page`)."""
    title = markup.bold(say("review_title", language, days=str(days)))
    if not groups:
        return f"{title}\n\n{markup.text(say('review_empty', language, days=str(days)))}"
    summary = say("review_summary", language, groups=str(len(groups)),
                  questions=str(sum(group.count for group in groups)))
    first = 0
    shown = list(groups)
    if page is not None:
        pages = page_count(groups)
        page = min(max(page, 1), pages)
        first = (page - 1) * PAGE_SIZE
        shown = shown[first : first + PAGE_SIZE]
        summary += " " + say("review_page", language, page=str(page), pages=str(pages))
    blocks = [render_group(group, first + number, language, markup, detail=detail)
              for number, group in enumerate(shown, start=1)]
    return "\n\n".join([title, markup.text(summary), *blocks])


async def digest_groups(
    question_log: QuestionLog,
    since: dt.datetime,
    seen_up_to: int | None = None,
    now: dt.datetime | None = None,
) -> tuple[list[Group], int]:
    """The open groups with questions new since the previous digest, and the highest question
    id seen (pass it as `seen_up_to` next time). New means a higher id than `seen_up_to`, or,
    for the first digest, asked since `since`.
    """
    groups = await review_groups(question_log, REVIEW_DAYS, now=now)

    def new(question: LoggedQuestion) -> bool:
        return question.id > seen_up_to if seen_up_to is not None else question.asked_at >= since

    fresh = [group for group in groups if any(new(q) for q in group.questions)]
    highest = max((q.id for group in groups for q in group.questions), default=0)
    return fresh, max(highest, seen_up_to or 0)


def render_digest(
    groups: Sequence[Group], since: dt.datetime, language: str, markup: Markup
) -> str:
    """The daily digest: the new groups, and how to handle them."""
    title = markup.bold(say("digest_title", language, since=short_when(since)))
    summary = markup.text(say("review_summary", language, groups=str(len(groups)),
                              questions=str(sum(group.count for group in groups))))
    blocks = [render_group(group, number, language, markup)
              for number, group in enumerate(groups[:PAGE_SIZE * 2], start=1)]
    more = markup.text(say("digest_more", language))
    return "\n\n".join([title, summary, *blocks, more])
