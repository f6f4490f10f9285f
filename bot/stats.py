"""Statistics of the question log for editors: counts, shares, feedback, top entries, and a chart.

`/statistikk` in Telegram and `python -m bot log stats` show the same text; the chart (a PNG of
questions per day, stacked by outcome) is drawn with matplotlib's Agg backend through its
object API (no pyplot, no display), so it works headless and from a worker thread. The log is
read and counted in a worker thread on a read-only connection of its own (`collect`), and the
largest unanswered groups come from the same bounded review list as `/ubesvart`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge import KnowledgeBase
from bot.localtime import days_ago, last_dates, local_date, utc_now
from bot.markup import Markup
from bot.review import Group, group_for_review
from bot.storage import LoggedQuestion, QuestionLog, read_questions, reader
from bot.texts import counted, say

PERIODS = (7, 30)
CHART_DAYS = 30
TOP = 5
OUTCOMES = ("answered", "suggested", "unanswered", "emergency", "crisis")
COLOURS = {
    "answered": "#2e7d32", "suggested": "#f9a825", "unanswered": "#c62828",
    "emergency": "#1565c0", "crisis": "#6a1b9a",
}


@dataclass(frozen=True)
class PeriodStats:
    """What happened in the last `days` days."""

    days: int
    total: int
    askers: int
    outcomes: Counter
    thumbs_up: int
    thumbs_down: int
    none_fitted: int
    top_entries: list[tuple[str, int]]
    top_groups: list[Group]

    def share(self, outcome: str) -> float:
        """The share (0-1) of questions with `outcome`."""
        return self.outcomes[outcome] / self.total if self.total else 0.0


def used_entries(question: LoggedQuestion) -> tuple[str, ...]:
    """The entries the asker got: the answer (one per part of a question asked in parts), or
    the suggestion they picked."""
    if question.answered_entries:
        return question.answered_entries
    return (question.chosen_entry,) if question.chosen_entry else ()


def period_stats(
    questions: Sequence[LoggedQuestion], days: int, now: dt.datetime | None = None
) -> PeriodStats:
    """The statistics of the questions asked in the last `days` days before `now`."""
    since = days_ago(days, now)
    period = [q for q in questions if q.asked_at >= since]
    entries = Counter(entry for question in period for entry in used_entries(question))
    return PeriodStats(
        days=days,
        total=len(period),
        askers=len({q.user_hash for q in period}),
        outcomes=Counter(q.outcome for q in period),
        thumbs_up=sum(1 for q in period if (q.feedback or 0) > 0),
        thumbs_down=sum(1 for q in period if (q.feedback or 0) < 0),
        none_fitted=sum(1 for q in period if q.choice == "none"),
        top_entries=entries.most_common(TOP),
        top_groups=group_for_review(period).groups[:TOP],
    )


def daily_outcomes(
    questions: Sequence[LoggedQuestion], days: int = CHART_DAYS, now: dt.datetime | None = None
) -> list[tuple[dt.date, Counter]]:
    """Questions per Oslo calendar day and outcome, the last `days` days, oldest first."""
    dates = last_dates(days, now)
    per_day: dict[dt.date, Counter] = {date: Counter() for date in dates}
    for question in questions:
        counts = per_day.get(local_date(question.asked_at))
        if counts is not None:
            counts[question.outcome] += 1
    return [(date, per_day[date]) for date in dates]


@dataclass(frozen=True)
class Report:
    """Statistics for several periods, and the per-day counts for the chart."""

    periods: list[PeriodStats]
    daily: list[tuple[dt.date, Counter]]


async def collect(
    question_log: QuestionLog,
    periods: Sequence[int] = PERIODS,
    chart_days: int = CHART_DAYS,
    now: dt.datetime | None = None,
) -> Report:
    """Read the log once and compute every period's statistics and the chart's counts, in a
    worker thread."""
    now = now or utc_now()
    await question_log.flush()
    return await asyncio.to_thread(collect_file, question_log.path, periods, chart_days, now)


def collect_file(
    path: Path, periods: Sequence[int], chart_days: int, now: dt.datetime
) -> Report:
    """`collect` on a connection of its own to the log at `path` (blocking)."""
    longest = max([*periods, chart_days])
    with reader(path) as connection:
        questions = list(read_questions(connection, days_ago(longest, now) - dt.timedelta(days=1),
                                        now + dt.timedelta(seconds=1)))
    return Report(
        periods=[period_stats(questions, days, now) for days in periods],
        daily=daily_outcomes(questions, chart_days, now),
    )


# --- text -------------------------------------------------------------------------------------


def percent(share: float, language: str) -> str:
    """A share as a whole percentage, written as the language writes it."""
    return say("percent", language, value=str(round(share * 100)))


def entry_title(entry_id: str, knowledge: KnowledgeBase | None, language: str) -> str:
    """The entry's title, or its id when it is gone (or no knowledge base is at hand)."""
    if knowledge is not None and entry_id in knowledge.entries:
        return knowledge.entries[entry_id].title_in(language)
    return entry_id


def render_period(
    stats: PeriodStats, knowledge: KnowledgeBase | None, language: str, markup: Markup
) -> str:
    """One period's statistics."""
    shares = {
        outcome: f"{stats.outcomes[outcome]} ({percent(stats.share(outcome), language)})"
        for outcome in OUTCOMES
    }
    lines = [
        markup.bold(say("stats_title", language, days=str(stats.days))),
        markup.text(say("stats_questions", language, total=str(stats.total),
                        people=counted("people", stats.askers, language))),
        markup.text(say("stats_outcomes", language, **shares)),
        markup.text(say("stats_feedback", language, up=str(stats.thumbs_up),
                        down=str(stats.thumbs_down), none=str(stats.none_fitted))),
        "",
        markup.bold(say("stats_top_entries", language)),
    ]
    nothing = "  " + markup.text(say("stats_nothing", language))
    lines += [
        f"  {rank}. {markup.text(entry_title(entry_id, knowledge, language))} – {count}"
        for rank, (entry_id, count) in enumerate(stats.top_entries, start=1)
    ] or [nothing]
    lines.append(markup.bold(say("stats_top_groups", language)))
    lines += [
        f"  {rank}. {markup.quote(group.text, limit=80)} – {group.count}"
        for rank, group in enumerate(stats.top_groups, start=1)
    ] or [nothing]
    return "\n".join(lines)


def render_report(
    report: Report, knowledge: KnowledgeBase | None, language: str, markup: Markup
) -> str:
    """Every period's statistics, one after the other."""
    return "\n\n".join(render_period(stats, knowledge, language, markup)
                       for stats in report.periods)


# --- chart ------------------------------------------------------------------------------------


def chart_png(daily: Sequence[tuple[dt.date, Counter]], language: str = "nb") -> bytes:
    """A PNG bar chart of questions per day, stacked by outcome."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(9, 4.2), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(daily)))
    bottom = [0] * len(daily)
    for outcome in OUTCOMES:
        heights = [counts[outcome] for _, counts in daily]
        axes.bar(positions, heights, bottom=bottom, color=COLOURS[outcome], width=0.8,
                 label=say(f"chart_{outcome}", language))
        bottom = [low + high for low, high in zip(bottom, heights, strict=True)]
    step = max(1, len(daily) // 10)
    axes.set_xticks(positions[::step])
    axes.set_xticklabels([date.strftime("%d.%m.") for date, _ in daily][::step])
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(say("chart_title", language, days=str(len(daily))))
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    axes.legend(loc="upper left", frameon=False, ncols=3)
    axes.set_ylim(top=max(max(bottom, default=0) * 1.2, 1))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
