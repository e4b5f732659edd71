"""HTML -> the page's main text and metadata, with nothing executable kept (used by ingest).

The page is parsed by lxml without network access, defused (scripts, styles, frames,
embedded objects, hidden elements, event handlers and ``javascript:`` links removed),
then trafilatura keeps the main text (no navigation, share bars, related links, ads or
footers) with one line per paragraph and reads the metadata: title, authors, site name
and date from JSON-LD, OpenGraph and meta tags, never from free text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html

from eventledger.extract.dates import parse_date_string

__all__ = ["Page", "fragment_text", "page_from_html", "split_authors"]

log = logging.getLogger(__name__)

_DROP_TAGS = {"script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
              "template", "svg", "math", "canvas", "audio", "video", "source", "track", "portal", "dialog",
              "button", "select", "textarea", "input", "base", "param"}
# void elements: what lxml nests inside them is mis-nesting, and stays
_VOID_TAGS = {"embed", "source", "track", "input", "base", "param", "img", "br", "hr", "wbr", "area", "col"}
_BOILER_TAGS = ("nav", "header", "footer", "aside", "a", "menu", "form", "label", "option")
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
               "blockquote", "pre", "table", "tr", "section", "article", "header", "footer", "figure",
               "figcaption", "hr", "main", "address", "details", "summary"}
_UNSAFE_URL = re.compile(r"^\s*(?:javascript|vbscript|data|livescript):", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_FEED_FOOTER = re.compile(r"^The post .{1,300} appeared first on .{1,200}\.?$")
_NOT_NAME = re.compile(r"@|https?:|www\.|\d|^(?:staff|admin|editor|editors|news desk|newsroom|web staff)$|^the\s|"
                       r"\b(?:press|news|staff|reuters|agency|wire|media|newsroom|desk|report)\b", re.I)


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    title: str | None
    outlet: str | None
    bylines: tuple[str, ...]
    published: str | None
    url: str | None


def page_from_html(html: str, url: str | None = None) -> Page:
    """The main text and metadata of one page; ValueError when the page has no article text."""
    import trafilatura
    from trafilatura.settings import set_date_params

    tree = _parse(html)
    boiler = _boilerplate(tree)
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, include_formatting=False, deduplicate=False,
            date_extraction_params=set_date_params(False),
        )
    except Exception as e:  # trafilatura has no error type of its own; any failure means no text  # noqa: BLE001
        log.debug("trafilatura failed: %r", e)
        doc = None
    text = _clean_lines(doc.text or "") if doc is not None else ""
    if not _has_story(text, boiler):
        raise ValueError("no article text found in the HTML")
    outlet = (doc.sitename or "").strip() or None
    if outlet and re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+", outlet):
        outlet = outlet.lower().removeprefix("www.")
    names = [n for n in split_authors(doc.author or "") if not outlet or n.casefold() != outlet.casefold()]
    return Page(
        text=text,
        title=(doc.title or "").strip() or None,
        outlet=outlet,
        bylines=tuple(dict.fromkeys(names)),
        published=parse_date_string(doc.date),
        url=doc.url or url,
    )


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed entry's content), one line per block."""
    if "<" not in html:
        return _clean_lines(lxml.html.fromstring(f"<div>{html}</div>").text_content() if "&" in html else html)
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div", parser=_parser())
    except (lxml.etree.ParserError, ValueError):
        return ""
    _defuse(root)
    parts: list[str] = []
    _walk_text(root, parts)
    lines = _clean_lines("".join(parts)).split("\n")
    return "\n".join(ln for ln in lines if not _FEED_FOOTER.match(ln))


def split_authors(s: str) -> list[str]:
    """Author names from a metadata author string ("By Jane Doe and John Roe; Ann Lee")."""
    out: list[str] = []
    for part in re.split(r"\s*(?:;|\||,|&|\band\b|\bwith\b)\s*", s.strip()):
        name = re.sub(r"^(?:by|written by|posted by|from)\s*:?\s+", "", part.strip(), flags=re.I).strip(" .:-")
        name = re.sub(r"\s+", " ", name)
        if not name or _NOT_NAME.search(name) or not any(c.isupper() for c in name) or len(name.split()) > 5:
            continue
        out.append(name)
    return out


# ---- helpers ---------------------------------------------------------------------------------


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True,
                                huge_tree=False)


def _parse(html: str) -> lxml.html.HtmlElement:
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)  # lxml refuses str input with an encoding declaration
    try:
        tree = lxml.html.document_fromstring(html, parser=_parser())
    except (lxml.etree.ParserError, ValueError) as e:
        raise ValueError("no HTML content") from e
    if tree is None:
        raise ValueError("no HTML content")
    depth = _depth(tree)
    if depth > MAX_DEPTH:
        raise ValueError(f"HTML nested too deeply ({depth} levels of elements; the limit is {MAX_DEPTH})")
    _defuse(tree)
    return tree


MAX_DEPTH = 100
"""Elements nested deeper than this: refused (no news page needs half as many; deep, wide
nesting costs the main-text extraction seconds a page). libxml2 stops at 256 anyway."""


def _depth(root: lxml.html.HtmlElement) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:
        el, d = stack.pop()
        if d > deepest:
            deepest = d
            if d > MAX_DEPTH:
                break
        stack.extend((c, d + 1) for c in el)
    return deepest


def _defuse(root: lxml.html.HtmlElement) -> None:
    """Remove everything that could run or hide (JSON-LD metadata is kept: it is data)."""
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            doomed.append(el)
            continue
        tag = el.tag.lower().split("}")[-1]
        if tag == "script" and (el.get("type") or "").lower() == "application/ld+json":
            continue
        if (tag in _DROP_TAGS or el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true"
                or _HIDDEN_STYLE.search(el.get("style") or "")):
            doomed.append(el)
            continue
        for attr in list(el.attrib):
            a = attr.lower()
            if a.startswith("on") or a in ("style", "srcdoc", "formaction") or (
                    a in ("href", "src", "action", "xlink:href", "data") and _UNSAFE_URL.match(el.get(attr) or "")):
                del el.attrib[attr]
    for el in doomed:
        if el.getparent() is None:
            continue
        if isinstance(el.tag, str) and el.tag.lower() in _VOID_TAGS:
            el.drop_tag()  # keeps the children the parser wrongly nested inside it
        else:
            el.drop_tree()  # keeps the tail text, which belongs to the parent


def _boilerplate(tree: lxml.html.HtmlElement) -> str:
    """Squeezed text of navigation, headers, footers, asides and links (not story text)."""
    bits = []
    for el in tree.iter(*_BOILER_TAGS):
        bits.append(_squeeze(el.text_content()))
    return "\n".join(bits)


def _has_story(text: str, boiler: str) -> bool:
    for line in text.split("\n"):
        if len(line.split()) >= 5 and _squeeze(line) not in boiler:
            return True
    return False


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s).casefold()


def _walk_text(el: lxml.html.HtmlElement, parts: list[str]) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    block = tag in _BLOCK_TAGS
    if block:
        parts.append("\n")
    if el.text:
        parts.append(el.text)
    for child in el:
        _walk_text(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n")


def _clean_lines(text: str) -> str:
    lines = (re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in text.replace("\r", "\n").split("\n"))
    return "\n".join(ln for ln in lines if ln)
