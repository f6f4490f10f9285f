"""Security, end to end: one resident's flood of distinct questions cannot freeze the bot for
everyone through the editors' review list.

A real question log holds 5 000 open unanswered questions, 80% of them from one asker (what
the flood guard lets one account log in well under an hour). While residents ask at a steady
rate, an editor sends /ubesvart, presses Løst, and sends /statistikk and /eksport. Every
resident is answered promptly meanwhile, and the list is bounded and fair to other askers.
(bench/review_load.py does the same with 50 000 questions.)
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.review_load import RESIDENTS, WARM_UP, Editor, button, latencies
from tests.botapi_standin import BotApiStandIn
from tests.reliability.harness import EDITOR, BotRun, Traffic, figure
from tests.synthetic_log import fill_open

ROWS = 5000
FLOODER_SHARE = 0.8
RATE = 10.0
# Generous: a resident's answer takes a few milliseconds; before the fix, /ubesvart alone
# held every answer for seconds.
MAX_LATENCY = 1.0


def test_the_review_list_does_not_hold_up_residents(
    standin: BotApiStandIn, tmp_path: Path, knowledge_copy: Path
) -> None:
    run = BotRun(standin, tmp_path / "bot", {
        "knowledge": {"directory": str(knowledge_copy)}, "editors": {"user_ids": [EDITOR]},
    })
    flooder = fill_open(run.database, ROWS, flooder_share=FLOODER_SHARE)
    flooded = run.rows("SELECT COUNT(*) FROM questions WHERE user_hash = ?", [flooder])[0][0]
    with run:
        run.ask("hvem er med i regionrådet", WARM_UP)
        editor = Editor(run, timeout=60.0)
        with Traffic(standin, RESIDENTS[:20], RATE) as traffic:
            time.sleep(1.0)
            assert editor.command("/ubesvart", "sendMessage")
            listing = editor.last.params["text"]
            resolve = button(editor.last, "resolve")
            assert resolve is not None
            assert editor.press("Løst", resolve)
            assert editor.command("/statistikk", "sendPhoto")
            assert editor.command("/eksport", "sendDocument")
            time.sleep(1.0)
        sent = list(traffic.sent)
        deadline = time.monotonic() + 20
        while len(latencies(run, sent)) < len(sent) and time.monotonic() < deadline:
            time.sleep(0.1)
        found = latencies(run, sent)
        assert run.stop() == 0
    run.assert_no_secrets()
    assert len(found) == len(sent), "every resident answered"
    first = editor.actions[0].started
    last = editor.actions[-1].started + (editor.actions[-1].seconds or 0)
    during = [latency for pushed, latency in found if first <= pushed <= last]
    assert len(during) >= 5, "residents asked while the editor worked"
    assert min(latency for _, latency in found) >= 0
    assert max(during) < MAX_LATENCY, f"a resident waited {max(during):.2f} s"
    assert f"av {ROWS} spørsmål, høyst 25 fra hver avsender" in listing
    shown = int(listing.split("Viser de ", 1)[1].split()[0])
    assert shown <= ROWS - flooded + 25, "no more than 25 of the flood in the list"
    resolved = run.rows("SELECT COUNT(*) FROM questions WHERE status = 'resolved'")[0][0]
    assert resolved >= 1
    took = ", ".join(f"{a.name} {a.seconds:.2f} s" for a in editor.actions)
    figure(f"review list: {ROWS} open questions, {FLOODER_SHARE:.0%} from one asker",
           f"{took}; residents meanwhile p50 {statistics.median(during) * 1000:.0f} ms, "
           f"max {max(during) * 1000:.0f} ms ({len(during)} questions)")
