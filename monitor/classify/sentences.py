"""From an article's raw text to the sentences worth reading.

News pages carry more than the story: cookie banners, "related stories" (other councils'
ratings!), reader comments, paywall prompts, newsletter plugs. Lines that start the tail of a
page cut the text there; lines that are plugs are dropped; the rest is split into sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Bounds on what is read: a news story is a few thousand characters; these keep hostile or
# mis-extracted input (a whole PDF, a minified page) fast.
MAX_TEXT = 200_000
MAX_SENTENCE = 1_500

# A line that starts the page furniture after the story: everything from it on is dropped.
_TAIL = re.compile(
    r"^\s*(?:\d+\s+(?:responses?|comments?)\b|(?:leave|post|add|view|show|read)\s+(?:a\s+|all\s+)?"
    r"(?:comments?|reply)\b|comments?\s*(?:\(\d+\)|$)|related\s+(?:stories|articles|news|content|"
    r"topics|links)\b|(?:related|other\s+news|more\s+news|see\s+also|in\s+other\s+news)\s*:?\s*$|(?:more|also)\s+(?:like\s+this|from|stories|on\s+this|in\s+news)\b|"
    r"you\s+(?:may|might)\s+also\s+like\b|most\s+(?:read|popular|viewed)\b|trending\b|"
    r"read\s+next\b|register\s+now\s+to\s+continue|subscribe\s+to\s+(?:continue|read)|"
    r"this\s+article\s+is\s+for\s+subscribers|"
    r"already\s+have\s+an\s+account|newspapers\s+in\s+english|share\s+this\s+article\b|"
    r"(?:top|latest)\s+stories\b|recommended\s+for\s+you\b|(?:featured|latest|top)\s+jobs\b|"
    r"jobs?\s*(?:of\s+the\s+week)?\s*:|more\s+jobs\b)",
)
# A line of page furniture inside the story: dropped on its own.
_FURNITURE = re.compile(
    r"(?:^\s*(?:read\s+more|read\s+next|see\s+also|also\s+read|related|more|watch|listen|"
    r"click\s+here|latest|trending|recommended)\s*:|\bcookies?\b|\bnewsletter\b|\bsign\s+up\b|"
    r"\bsubscribe\b|\bwhatsapp\b|\bclick\s+here\b|"
    r"\bvisit\s+the\b.*\bportal\b|\bregister\s+now\b|\bfollow\s+us\b|\bad(?:vert(?:isement)?)?\s*$|"
    r"^\s*photo:|^\s*image:|^\s*picture:|^\s*\(?(?:image|photo)\s+(?:credit|caption)|"
    r"^\s*(?:share|tweet|email|print)\s*$|privacy\s+policy|terms\s+(?:and|&)\s+conditions|"
    r"©|\bcopyright\b|all\s+rights\s+reserved)"
)
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])|(?<=[.!?][\"”’'])\s*(?=[A-Z])"
)
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article; ``index`` 0 is the title when there is one."""

    index: int
    text: str
    is_title: bool = False


def normalise(text: str) -> str:
    """Straight quotes and plain dashes, same length, so patterns need only one form."""
    return text.translate(_QUOTES)


def story_lines(text: str) -> list[str]:
    """The lines of the story itself, page furniture removed."""
    lines: list[str] = []
    for line in normalise(text).splitlines():
        lowered = line.lower()
        if _TAIL.match(lowered) and lines:
            break
        if not line.strip() or (len(line) < 300 and _FURNITURE.search(lowered)):
            continue
        lines.append(line.strip(" \t•*-·>|"))
    return lines


def split_sentences(text: str, *, title: str | None = None) -> list[Sentence]:
    """The title (when given) then the story's sentences, in order."""
    sentences = []
    if title and title.strip():
        sentences.append(Sentence(0, normalise(title.strip()[:MAX_SENTENCE]), is_title=True))
    for line in story_lines(text[:MAX_TEXT]):
        for part in _SENTENCE_END.split(line):
            for piece in _pieces(part.strip()):
                sentences.append(Sentence(len(sentences), piece))
    return sentences


def _pieces(sentence: str) -> list[str]:
    """A sentence, cut at spaces into pieces of at most MAX_SENTENCE characters: real
    sentences are far shorter, and hostile input must not make the patterns quadratic."""
    pieces = []
    while len(sentence) > MAX_SENTENCE:
        cut = sentence.rfind(" ", 0, MAX_SENTENCE)
        cut = cut if cut > 0 else MAX_SENTENCE
        pieces.append(sentence[:cut])
        sentence = sentence[cut:].lstrip()
    if sentence:
        pieces.append(sentence)
    return pieces
