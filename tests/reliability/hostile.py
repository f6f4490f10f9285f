"""Strange input, shared by the hostile-input tests and `python -m bench.hostile_input`."""

from __future__ import annotations

LONG = 100_000
# Characters that have broken text handling elsewhere: direction marks and overrides, joiners,
# byte-order and replacement marks, NUL and other controls, line and paragraph separators,
# combining marks, emoji sequences, letters whose case mapping changes their length.
SPECIAL = [
    "\u200f", "\u200e", "\u202e", "\u202d", "\u2066", "\u2069", "\u200d", "\u200c", "\u200b",
    "\ufeff", "\ufffd", "\x00", "\x07", "\x1b", "\r", "\t", "\u2028", "\u2029", "\u0301",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f1f3\U0001f1f4", "ﷺ", "ß", "İ", "ǅ",
]
# Words the engine knows, and markup and SQL punctuation, to mix with the strange characters.
WORDS = ["tlf", "notodden", "Tinn", "KONGSBERG", "hva", "er", "regionrådet", "hjelp", "brann",
         "nynorsk", "kva", "what", "is", "æøå", "?", "!", ".", "<b>", "*", "_", "'", ";"]
# 100 000-character messages of different kinds.
HUGE = {
    "one letter": "x" * LONG,
    "a question repeated": ("hva er kongsbergregionen " * 4000)[:LONG],
    "right-to-left overrides": "\u202e" * LONG,
    "joined emoji": ("\U0001f468\u200d\U0001f469\u200d\U0001f467 " * 20_000)[:LONG],
    "control characters": "".join(chr(i % 32) for i in range(LONG)),
    "many sentences": ("Hei. Tlf notodden? " * 6000)[:LONG],
    "combining marks": "a" + "\u0301" * (LONG - 1),
    "one word a line": ("tlf\nnotodden\n" * 8000)[:LONG],
    "NUL": "\x00" * LONG,
    "zero-width joiners": "Hva er Kongsbergregionen? " + "\u200d" * LONG,
}
