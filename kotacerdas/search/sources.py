"""Modules register here what they publish; search knows no module (the arrows point down)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Document:
    kind: str
    key: str  # unique across the index, e.g. "dataset:<uuid>"
    title: str
    text: str
    url: str
    summary: str = ""
    agency_id: int | None = None
    published_at: datetime | None = None


Source = Callable[[], Iterable[Document]]
_SOURCES: dict[str, Source] = {}


def register(kind: str, source: Source) -> None:
    _SOURCES[kind] = source


def registered() -> dict[str, Source]:
    return dict(_SOURCES)
