"""Rich text that staff type into news and announcements, made safe to show to everyone.

Sanitised once, when it is saved, with an allow-list (ammonia, through nh3): a few tags for
paragraphs, emphasis, lists, headings, quotes and links; nothing else survives. Scripts and
styles are removed with their content, every event handler (``onclick``, ``onerror``...) and
every attribute not listed is dropped, and links keep only http(s), mailto and tel targets,
so ``javascript:`` and ``data:`` URLs go. Links get ``rel="noopener nofollow"``: a news page
should neither hand the opened page a handle on ours nor lend it our ranking.
"""

import html
import re

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "blockquote"})
# "*": nothing on every tag: ammonia would otherwise keep "lang" and "title" everywhere.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}, "*": set()}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
LINK_REL = "noopener nofollow"
# Where one block ends and the next begins, so "<p>a</p><p>b</p>" reads "a b", not "ab".
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|div|td|th|tr)\s*>|<br\s*/?>", re.IGNORECASE)
# Removed together with what they contain, not just unwrapped.
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript"})


def sanitize(text: str) -> str:
    """Safe HTML from whatever was typed or pasted (a Word document pasted into the editor,
    a crafted POST)."""
    return nh3.clean(
        text or "",
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def plain_text(text: str) -> str:
    """The words of some HTML, on one line: for summaries, share previews and search."""
    separated = _BLOCK_END.sub(" ", text or "")
    stripped = nh3.clean(separated, tags=set(), clean_content_tags=set(DROP_WITH_CONTENT))
    return " ".join(html.unescape(stripped).split())


def excerpt(text: str, length: int = 200) -> str:
    """The start of the plain text, cut at a word and marked with an ellipsis when cut."""
    words = plain_text(text)
    if len(words) <= length:
        return words
    cut = words[: length - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"
