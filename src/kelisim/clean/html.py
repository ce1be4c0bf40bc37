"""Main text and metadata out of HTML (with trafilatura) and out of Markdown (with rules).

Both return our own :class:`Extracted`; trafilatura's document type stays in this module.
Paragraphs are separated by one line break, and the headline, when the page or file has one,
is the first line of the text as well as the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml.etree import LxmlError

from kelisim.clean.errors import MalformedHTMLError


@dataclass(frozen=True)
class Extracted:
    """The main text of a page or file with the metadata found beside it."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None


def extract_html(html: str, url: str | None = None) -> Extracted:
    """Extract the main text, title, author and date (ISO) of an HTML page.

    Args:
        html: the page's markup, already decoded.
        url: where the page came from; helps trafilatura's date and site rules.

    Returns:
        The article text, one paragraph per line, without navigation, footer or comments.

    Raises:
        MalformedHTMLError: the markup cannot be parsed or holds no main text.
    """
    document = _bare_extraction(html.replace("\x00", ""), url)
    if document is None or not (document.text or "").strip():
        raise MalformedHTMLError("malformed HTML: no main text could be extracted")
    return Extracted(document.text, _blank_to_none(document.title),
                     _blank_to_none(document.author), _blank_to_none(document.date))


def _bare_extraction(html: str, url: str | None):
    try:
        return trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False,
            include_tables=True, favor_recall=True,
        )
    except (ValueError, TypeError, RecursionError, LxmlError) as error:
        raise MalformedHTMLError(f"malformed HTML: {type(error).__name__}: {error}") from None


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value else None


# Every pattern scans a stretch of a line once: a run stops at the next mark that could end
# or open another span, and runs that could backtrack are possessive. (Runs that went on to
# the end of the line made a long line of «[», «<a», «**a » or any text under a heading
# quadratic.) So emphasis holds no mark of its own kind: «**a *b* c**» reads, «*a *b*» gives
# «*a b».
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FIELD = re.compile(r"^(title|author|date)[ \t]*:[ \t]*(\S[^\n]*)$", re.M | re.I)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
_FENCE = re.compile(r"^[ \t]*(?:```|~~~).*$", re.M)
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()\n]*\)|!\[[^\[\]]*\]\[[^\[\]]*\]")
_LINK = re.compile(r"\[([^\[\]]*)\](?:\([^()\n]*\)|\[[^\[\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\[\]\n]+\]:[ \t]*\S+.*$", re.M)
_ATX = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+([^\n]*+)$", re.M)
_ATX_CLOSE = re.compile(r"(?:^|[ \t])#++[ \t]*+$")
_SETEXT = re.compile(r"^(?P<text>[^\S\n]*+\S[^\n]*+)\n[ \t]{0,3}(?:=++|-++)[ \t]*+$", re.M)
_RULE = re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.M)
_QUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.M)
_BULLET = re.compile(r"^([ \t]*)[-*+][ \t]+", re.M)
_STRONG = re.compile(r"(\*\*|__)(?=\S)((?:[^*_\n]|[*_](?![*_]))+?)(?<=\S)\1")
_EM = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|"
                 r"(?<!\w)_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)")
_STRIKE = re.compile(r"~~(?=\S)((?:[^~\n]|~(?!~))+?)(?<=\S)~~")
_CODE = re.compile(r"(?<!`)`++([^`]+)`+")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_PLACEHOLDER = 0xE000


def extract_markdown(md: str) -> Extracted:
    """Plain text out of Markdown: syntax stripped, the first heading as title."""
    meta, body = _split_front_matter(md)
    body = _ESCAPE.sub(lambda m: chr(_PLACEHOLDER + ord(m.group(1))), body)
    body = _strip_blocks(body)
    title = meta.get("title") or _first_heading(body)
    text = _strip_inline(_ATX.sub(_atx_text, _SETEXT.sub(r"\g<text>", body)))
    return Extracted(_unescape(text).strip(), _clean_title(title),
                     meta.get("author"), meta.get("date"))


def _split_front_matter(md: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(md)
    if match is None:
        return {}, md
    fields = _FIELD.findall(match.group(1))
    meta = {key.lower(): value.strip().strip("\"'") for key, value in fields}
    return meta, md[match.end():]


def _strip_blocks(text: str) -> str:
    # Rules go before setext headings, so "---" under a paragraph is a heading, not a rule.
    text = _REF_DEF.sub("", _FENCE.sub("", text))
    text = _RULE.sub("", _mark_setext(text))
    return _BULLET.sub(r"\1", _QUOTE.sub("", text))


def _mark_setext(text: str) -> str:
    # A "---" line right under text is a setext underline; mark it "==" so _RULE leaves it.
    return re.sub(r"(?m)(?<=\S)\n([ \t]{0,3})-{2,}[ \t]*$", r"\n\1==", text)


def _first_heading(body: str) -> str | None:
    atx, setext = _ATX.search(body), _SETEXT.search(body)
    found = [m for m in (atx, setext) if m is not None]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return _atx_text(first) if first is atx else first.group("text")


def _atx_text(heading: re.Match) -> str:
    """An ATX heading's text, without its closing hashes («## Title ##»)."""
    text = heading.group(1).rstrip(" \t")
    return _ATX_CLOSE.sub("", text).rstrip(" \t") if text.endswith("#") else text


def _strip_inline(text: str) -> str:
    text = _LINK.sub(r"\1", _IMAGE.sub("", _AUTOLINK.sub(r"\1", text)))
    text = _CODE.sub(r"\1", _TAG.sub("", text))
    text = _STRIKE.sub(r"\1", _STRONG.sub(r"\2", text))
    return _EM.sub(lambda m: m.group(1) or m.group(2), text)


def _clean_title(title: str | None) -> str | None:
    return _unescape(_strip_inline(title)).strip() or None if title else None


def _unescape(text: str) -> str:
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group()) - _PLACEHOLDER), text)
