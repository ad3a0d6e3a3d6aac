"""The safety net under "no protected details in a document unless included with a reason".

Builders never put a protected detail into a document unless the user included it. But free
text can: an officer's narrative in a report, the evidence for a test, a condition's area. Before
rendering, every piece of text is searched for the protected values of the people on the order
that were not included (read on the server, never shown), and each one found is replaced by
REDACTED. The number replaced is stored with the document and shown to the user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from safeguard.documents.content import Content, map_text

REDACTED = "[protected detail withheld]"
_MIN_LENGTH = 4  # shorter values (a house number alone) would match innocent text


def _pattern(value: str) -> str | None:
    """A pattern for one value that tolerates differences in spacing, case and, for numbers,
    spaces or hyphens between digits ("07700 900123" and "07700-900-123")."""
    compact = " ".join(value.split())
    if len(compact.replace(" ", "")) < _MIN_LENGTH:
        return None
    digits = re.sub(r"\D", "", compact)
    if digits and len(digits) >= 7 and len(digits) >= len(compact.replace(" ", "")) - 2:
        return r"[\s\-]*".join(re.escape(d) for d in digits)
    words = [re.escape(w) for w in compact.split(" ")]
    return r"[\s,]*".join(words)


def matcher(values: Iterable[str]) -> re.Pattern[str] | None:
    patterns = sorted({p for v in values if v and (p := _pattern(v))}, key=len, reverse=True)
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def redact(content: Content, withheld: Iterable[str]) -> tuple[Content, int]:
    """`content` with every withheld value replaced, and how many replacements were made."""
    pattern = matcher(withheld)
    if pattern is None:
        return content, 0
    count = 0

    adjacent = re.compile(re.escape(REDACTED) + r"(?:[\s,]*" + re.escape(REDACTED) + ")+")

    def clean(text: str) -> str:
        nonlocal count
        cleaned, n = pattern.subn(REDACTED, text)
        count += n
        return adjacent.sub(REDACTED, cleaned)  # an address and its postcode: one withholding

    return map_text(content, clean), count
