"""Parsing and content negotiation. Negotiation never refuses: the API answers JSON (and files from exports, which
say their own type), whatever a client's Accept header asks for, rather than 406."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser


class AlwaysAnswer(DefaultContentNegotiation):
    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Exception:
            return renderers[0], renderers[0].media_type


def _storable(value: Any) -> bool:
    """Whether every string in a parsed JSON value can be stored in PostgreSQL as text."""
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_storable(k) and _storable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_storable(v) for v in value)
    return True


class StrictJSONParser(JSONParser):
    """JSON, refusing text PostgreSQL cannot store (lone surrogates such as "\\ud800", NUL
    characters): a 400 here rather than a database error later."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if not _storable(data):
            raise ParseError(
                "The body holds text that cannot be stored: not valid Unicode, or a NUL"
            )
        return data
