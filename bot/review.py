"""The editors' review list: questions the bot did not answer well, near-duplicates grouped.

A logged question needs review when the bot could not answer it (outcome "unanswered"), when
the asker rated the answer 👎, or when none of the "Mente du …?" suggestions fitted (choice
"none"). Questions are grouped when their masked, normalised text is nearly the same
(rapidfuzz `token_set_ratio` of at least SIMILARITY, and `token_sort_ratio` of at least
ORDER_SIMILARITY, so that neither "tinn" swallows every question that mentions Tinn, nor
"hvordan søker jeg jobb" joins "hvordan søker jeg barnehageplass"). Groups are listed most frequent
first; each has a count, the number of distinct askers (hashed user ids) and when it was last
asked. Both `/ubesvart` in Telegram and `python -m bot log list` show them.

Groups where residents wait for an answer from the editors (`bot.followup`) come first, the
longest waiting first, marked with how many wait and since when (never who). A question
someone waits for is always in the list, whatever its status, period or asker's bound, until
the answer is sent or the consent expires.

The list stays cheap however much is logged, because one resident can log thousands of
distinct questions an hour. It is bounded: at most MAX_PER_ASKER open questions per asker
(the newest) and at most MAX_GROUPED in all (the newest) are grouped; the list says how many
it shows of how many, and a group says "+N fra samme avsender" where an asker has more. The
selection runs in SQLite (`read_review`, window functions), the grouping compares each question
only with the groups' representatives, a block of questions at a time in C
(`rapidfuzz.process.cdist`), and `review_groups` does both in a worker thread with a read-only
connection of its own, so that an editor's list never holds up a resident's answer.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.followup import waiting_by_question
from bot.localtime import days_ago, short_when, utc_now
from bot.markup import Markup
from bot.storage import COLUMNS, STATUSES, LoggedQuestion, QuestionLog, logged, reader
from bot.texts import counted, say

REVIEW_DAYS = 30
PAGE_SIZE = 4
MAX_VARIANTS_SHOWN = 3
SIMILARITY = 85.0
ORDER_SIMILARITY = 75.0
MAX_PER_ASKER = 25
MAX_GROUPED = 2000
BLOCK = 256
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
    """Near-duplicate questions that need review, newest first.

    `held_back` counts further open questions of an asker of the group that the bounded list
    left out ("+N fra samme avsender"); it is set on the group holding that asker's newest
    question.
    """

    questions: tuple[LoggedQuestion, ...]
    held_back: int = 0
    waiting: int = 0
    """Residents waiting for an answer from the editors to one of its questions."""
    waiting_since: dt.datetime | None = None
    """When the longest-waiting of them asked for it."""

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
    """Near-duplicates grouped, most frequent first (then most recently asked).

    Each question, newest first, joins the group whose representative (its first, newest
    question) it is most similar to, or starts a group of its own.
    """
    newest_first = sorted(questions, key=lambda q: (q.asked_at, q.id), reverse=True)
    grouping = _Grouping(threshold)
    for start in range(0, len(newest_first), BLOCK):
        grouping.add(newest_first[start : start + BLOCK])
    groups = [Group(tuple(found)) for found in grouping.members]
    return sorted(groups, key=lambda g: (g.count, g.last_asked, g.ref), reverse=True)


def _sorted_words(key: str) -> str:
    """The words in alphabetical order: fuzz.ratio of two of these is token_sort_ratio."""
    return " ".join(sorted(key.split()))


class _Grouping:
    """Groups being built: each group's key, its key's sorted words, and its questions."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.keys: list[str] = []
        self.sorted_keys: list[str] = []
        self.members: list[list[LoggedQuestion]] = []
        self.exact: dict[str, int] = {}

    def add(self, block: Sequence[LoggedQuestion]) -> None:
        """Add a block of questions (newest first, older than every question added before).

        The word-order guard (token_sort_ratio) is the cheaper scorer: one `cdist` call scores
        the block against every existing group in C, and token_set_ratio decides among the
        candidates it leaves. Groups started within the block are compared one by one.
        """
        keys = [normalise(question.text) for question in block]
        sorted_keys = [_sorted_words(key) for key in keys]
        existing = len(self.keys)
        scores = None
        if existing:
            scores = process.cdist(sorted_keys, self.sorted_keys, scorer=fuzz.ratio,
                                   score_cutoff=ORDER_SIMILARITY, workers=1)
        for row, question in enumerate(block):
            key = keys[row]
            index = self.exact.get(key)
            if index is None and key:
                candidates = [] if scores is None else [
                    (float(scores[row, column]), int(column))
                    for column in scores[row].nonzero()[0]
                ]
                candidates += self._new_candidates(sorted_keys[row], existing)
                index = self._best(key, candidates)
            if index is None:
                index = len(self.keys)
                self.keys.append(key)
                self.sorted_keys.append(sorted_keys[row])
                self.members.append([])
            self.exact.setdefault(key, index)
            self.members[index].append(question)

    def _new_candidates(self, sorted_key: str, first: int) -> list[tuple[float, int]]:
        """Groups started within the current block, in word-order reach of `sorted_key`."""
        found = []
        for index in range(first, len(self.keys)):
            score = fuzz.ratio(sorted_key, self.sorted_keys[index],
                               score_cutoff=ORDER_SIMILARITY)
            if score:
                found.append((score, index))
        return found

    def _best(self, key: str, candidates: list[tuple[float, int]]) -> int | None:
        """The candidate group most similar by token_set_ratio (ties: the closer word order,
        then the older group), if any is similar enough."""
        best: tuple[float, int] | None = None
        for _, index in sorted(candidates, key=lambda found: (-found[0], found[1])):
            score = fuzz.token_set_ratio(key, self.keys[index], score_cutoff=self.threshold)
            if score and (best is None or score > best[0]):
                best = (score, index)
        return best[1] if best else None


def needing_review(
    questions: Iterable[LoggedQuestion], statuses: Sequence[str] = ("open",)
) -> list[LoggedQuestion]:
    """The questions that need review and have one of `statuses`."""
    return [q for q in questions if reason(q) is not None and q.status in statuses]


@dataclass(frozen=True)
class ReviewList:
    """The review list: groups, most frequent first, and how much of the log they cover.

    `total` is how many questions need review in the period; the groups hold the newest of
    them, at most MAX_PER_ASKER per asker and MAX_GROUPED in all.
    """

    groups: list[Group]
    total: int
    per_asker: int = MAX_PER_ASKER

    @property
    def shown(self) -> int:
        """How many questions the groups hold."""
        return sum(group.count for group in self.groups)

    @property
    def bounded(self) -> bool:
        """Whether questions were left out."""
        return self.total > self.shown

    def without(self, group: Group) -> ReviewList:
        """The list after `group` was handled (resolved, ignored, added as a variant)."""
        groups = [other for other in self.groups if other.ref != group.ref]
        return dataclasses.replace(self, groups=groups,
                                   total=max(0, self.total - group.count))


def select_for_review(
    questions: Iterable[LoggedQuestion],
    per_asker: int = MAX_PER_ASKER,
    limit: int = MAX_GROUPED,
) -> tuple[list[LoggedQuestion], Counter]:
    """The newest questions, at most `per_asker` per asker and `limit` in all (newest first),
    and how many questions each asker has in all. `read_review` does the same in SQL."""
    newest_first = sorted(questions, key=lambda q: (q.asked_at, q.id), reverse=True)
    from_asker = Counter(question.user_hash for question in newest_first)
    taken: Counter = Counter()
    kept = []
    for question in newest_first:
        if len(kept) >= limit:
            break
        if taken[question.user_hash] < per_asker:
            taken[question.user_hash] += 1
            kept.append(question)
    return kept, from_asker


def with_waiting(
    groups: Sequence[Group], waiting: Mapping[int, tuple[int, dt.datetime]]
) -> list[Group]:
    """The groups with how many residents wait for each (from `waiting`, by question id),
    those waiting first, the longest waiting first; the others in their order."""
    marked = []
    for group in groups:
        found = [waiting[i] for i in group.ids if i in waiting]
        if found:
            group = dataclasses.replace(group, waiting=sum(count for count, _ in found),
                                        waiting_since=min(since for _, since in found))
        marked.append(group)
    waiting_first = sorted((g for g in marked if g.waiting), key=lambda g: g.waiting_since)
    return waiting_first + [g for g in marked if not g.waiting]


def build_review(
    kept: Sequence[LoggedQuestion],
    total: int,
    from_asker: Mapping[str | None, int],
    per_asker: int = MAX_PER_ASKER,
    waiting: Mapping[int, tuple[int, dt.datetime]] | None = None,
) -> ReviewList:
    """Group the selected questions and note, on the group holding the newest question of
    each asker over the per-asker bound, how many more that asker has outside the list, and
    on each group how many residents wait for an answer (`waiting`, by question id)."""
    groups = group_questions(kept)
    in_list = Counter(question.user_hash for question in kept)
    newest_of: dict[str | None, int] = {}
    for question in sorted(kept, key=lambda q: (q.asked_at, q.id), reverse=True):
        newest_of.setdefault(question.user_hash, question.id)
    held_back: Counter = Counter()
    for asker, count in in_list.items():
        if from_asker.get(asker, 0) > per_asker:
            held_back[newest_of[asker]] += from_asker[asker] - count
    if held_back:
        groups = [
            dataclasses.replace(group, held_back=sum(held_back[i] for i in group.ids))
            if any(i in held_back for i in group.ids) else group
            for group in groups
        ]
    if waiting:
        groups = with_waiting(groups, waiting)
    return ReviewList(groups, total, per_asker)


def group_for_review(
    questions: Iterable[LoggedQuestion],
    statuses: Sequence[str] = ("open",),
    per_asker: int = MAX_PER_ASKER,
    limit: int = MAX_GROUPED,
) -> ReviewList:
    """The review list of questions in memory (what `read_review` does on the database)."""
    candidates = needing_review(questions, statuses)
    kept, from_asker = select_for_review(candidates, per_asker, limit)
    return build_review(kept, len(candidates), from_asker, per_asker)


_REVIEW_SQL = f"""
WITH waited AS (SELECT DISTINCT question_id FROM followups WHERE consented_at >= ?),
candidates AS (
    SELECT {COLUMNS}, id IN waited AS waited,
           ROW_NUMBER() OVER (PARTITION BY user_hash ORDER BY asked_at DESC, id DESC) AS nth,
           COUNT(*) OVER (PARTITION BY user_hash) AS from_asker,
           COUNT(*) OVER () AS total
    FROM questions
    WHERE (asked_at >= ? AND asked_at < ? AND status IN (SELECT value FROM json_each(?))
           AND (outcome = '{UNANSWERED}' OR choice = '{NONE_FITTED}' OR feedback < 0))
       OR id IN waited
)
SELECT {COLUMNS}, from_asker, total FROM candidates WHERE nth <= ? OR waited
ORDER BY waited DESC, asked_at DESC, id DESC LIMIT ?
"""


def read_review(
    connection: sqlite3.Connection,
    since: dt.datetime,
    until: dt.datetime,
    statuses: Sequence[str] = ("open",),
    per_asker: int = MAX_PER_ASKER,
    limit: int = MAX_GROUPED,
    waiting_cutoff: dt.datetime | None = None,
) -> ReviewList:
    """The review list of the questions asked in [since, until), read and grouped (blocking:
    run it in a worker thread). The same rule as `reason` and `select_for_review`, in SQL,
    and every question a resident has waited for since `waiting_cutoff` (None: any)."""
    cutoff = (waiting_cutoff or dt.datetime.min.replace(tzinfo=dt.UTC)).isoformat()
    parameters = (cutoff, since.isoformat(), until.isoformat(), json.dumps(list(statuses)),
                  per_asker, limit)
    rows = connection.execute(_REVIEW_SQL, parameters).fetchall()
    width = len(COLUMNS.split(","))
    kept = [logged(row[:width]) for row in rows]
    from_asker = {question.user_hash: row[width] for question, row in zip(kept, rows,
                                                                           strict=True)}
    total = rows[0][width + 1] if rows else 0
    waiting = waiting_by_question(connection, dt.datetime.fromisoformat(cutoff))
    return build_review(kept, total, from_asker, per_asker, waiting)


def read_review_file(
    path: Path, since: dt.datetime, until: dt.datetime, statuses: Sequence[str] = ("open",),
    waiting_cutoff: dt.datetime | None = None,
) -> ReviewList:
    """`read_review` on a connection of its own to the log at `path` (blocking)."""
    with reader(path) as connection:
        return read_review(connection, since, until, statuses, waiting_cutoff=waiting_cutoff)


async def review_groups(
    question_log: QuestionLog,
    days: int = REVIEW_DAYS,
    statuses: Sequence[str] = ("open",),
    now: dt.datetime | None = None,
) -> ReviewList:
    """The review list for the last `days` days, read and grouped in a worker thread."""
    now = now or utc_now()
    await question_log.flush()
    return await asyncio.to_thread(read_review_file, question_log.path, days_ago(days, now),
                                   now + dt.timedelta(seconds=1), statuses,
                                   question_log.followup_cutoff(now))


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
    found = find_group((await review_groups(question_log, days)).groups, question_id)
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
    if group.waiting:
        parts.insert(0, say("review_waiting", language, count=str(group.waiting),
                            since=short_when(group.waiting_since)))
    if group.held_back:
        parts.append(say("review_held_back", language, count=str(group.held_back)))
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


def summary(groups: Sequence[Group], language: str) -> str:
    """"2 grupper, 5 spørsmål." (singular and plural as the language has them)."""
    return say("review_summary", language, groups=counted("groups", len(groups), language),
               questions=counted("questions", sum(g.count for g in groups), language))


def render_list(
    review: ReviewList,
    days: int,
    language: str,
    markup: Markup,
    *,
    page: int | None = None,
    detail: bool = False,
) -> str:
    """The review list: a title, a summary and the groups (one page of them, if `page`)."""
    groups = review.groups
    title = markup.bold(say("review_title", language, days=str(days)))
    if not groups:
        return f"{title}\n\n{markup.text(say('review_empty', language, days=str(days)))}"
    text = summary(groups, language)
    if review.bounded:
        text += " " + say("review_bounded", language, shown=str(review.shown),
                          total=str(review.total), per_asker=str(review.per_asker))
    first = 0
    shown = list(groups)
    if page is not None:
        pages = page_count(groups)
        page = min(max(page, 1), pages)
        first = (page - 1) * PAGE_SIZE
        shown = shown[first : first + PAGE_SIZE]
        text += " " + say("review_page", language, page=str(page), pages=str(pages))
    blocks = [render_group(group, first + number, language, markup, detail=detail)
              for number, group in enumerate(shown, start=1)]
    return "\n\n".join([title, markup.text(text), *blocks])


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
    groups = (await review_groups(question_log, REVIEW_DAYS, now=now)).groups

    def new(question: LoggedQuestion) -> bool:
        return question.id > seen_up_to if seen_up_to is not None else question.asked_at >= since

    fresh = [group for group in groups if any(new(q) for q in group.questions)]
    highest = max((q.id for group in groups for q in group.questions), default=0)
    return fresh, max(highest, seen_up_to or 0)


def render_digest(
    groups: Sequence[Group], since: dt.datetime, language: str, markup: Markup,
    *, waiting: int = 0,
) -> str:
    """The daily digest: how many residents wait for an answer from the editors, the new
    groups, and how to handle them."""
    title = markup.bold(say("digest_title", language, since=short_when(since)))
    parts = [title]
    if waiting:
        parts.append(markup.text(say("digest_waiting", language,
                                     people=counted("people", waiting, language))))
    parts.append(markup.text(summary(groups, language)))
    parts += [render_group(group, number, language, markup)
              for number, group in enumerate(groups[:PAGE_SIZE * 2], start=1)]
    parts.append(markup.text(say("digest_more", language)))
    return "\n\n".join(parts)
