"""One way to write editors' views for both Telegram (HTML) and the terminal (plain text).

Editors' views show what users typed, which may contain HTML or Markdown: in Telegram every
piece of it goes through `Markup.text` (escaped), and only the view's own bold tags are HTML.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

QUOTE_LIMIT = 160


@dataclass(frozen=True)
class Markup:
    """Plain text, or Telegram HTML with every piece of text escaped."""

    html: bool

    def text(self, value: object) -> str:
        """`value` as text, escaped for HTML."""
        return html.escape(str(value), quote=False) if self.html else str(value)

    def bold(self, value: object) -> str:
        """`value` escaped, in bold."""
        return f"<b>{self.text(value)}</b>" if self.html else str(value)

    def code(self, value: object) -> str:
        """`value` escaped, in monospace (entry ids, file names)."""
        return f"<code>{self.text(value)}</code>" if self.html else str(value)

    def quote(self, value: str, limit: int = QUOTE_LIMIT) -> str:
        """A user's question in «», shortened to `limit` characters, escaped."""
        flat = " ".join(value.split())
        if len(flat) > limit:
            flat = flat[: limit - 1].rstrip() + "…"
        return f"«{self.text(flat)}»"


PLAIN = Markup(html=False)
HTML = Markup(html=True)
