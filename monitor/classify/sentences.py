"""From an article's raw text to the sentences worth reading.

News pages carry more than the story: cookie banners, "related stories" (other councils'
ratings!), reader comments, paywall prompts, newsletter plugs. Lines above the first line of
prose (menus, consent banners, trending bars) are masthead and dropped; lines that start the
tail of a page cut the text there; lines that are plugs are dropped; a grade table with previous
and new columns is rewritten row by row; the rest is split into sentences.
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
    # a section's plug: "See more stories from across the region here"
    r"^\s*(?:see|find|read)\s+more\s+(?:stories|news|articles)\b|"
    r"\bsubscribe\b|\bwhatsapp\b|\bclick\s+here\b|"
    r"\bvisit\s+the\b.*\bportal\b|\bregister\s+now\b|\bfollow\s+us\b|\bad(?:vert(?:isement)?)?\s*$|"
    r"^\s*photo:|^\s*image:|^\s*picture:|^\s*\(?(?:image|photo)\s+(?:credit|caption)|"
    r"^\s*(?:share|tweet|email|print)\s*$|privacy\s+policy|terms\s+(?:and|&)\s+conditions|"
    r"©|\bcopyright\b|all\s+rights\s+reserved)"
)
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])|(?<=[.!?][\"”’'])\s*(?=[A-Z])"
)
_WORDS = re.compile(r"[A-Za-z0-9']+")
# Two or more separators on one line: a menu or breadcrumb ("Home | News | Sport").
_LINK_BAR = re.compile(r"(?:\s[|>»/]\s.*){2,}")
# Above the story, whatever its length: consent banners, log-in and alert prompts.
_MASTHEAD_FURNITURE = re.compile(
    r"\bcookies?\b|\bprivacy\b|\bconsent\b|\bpersonal\s+data\b|\bnotifications?\b|"
    r"\bsign\s+in\b|\blog\s*in\b|\bregister\b|\bsubscri\w+|\bnewsletters?\b|\be-edition\b|"
    r"\bskip\s+to\b|\baccessibility\b|\bfree\s+articles?\b|\bsettings\b|\bpreferences\b|"
    # a site's service notice: "planned website maintenance ... will be unavailable"
    r"\bmaintenance\b|\bunavailable\b|\binconvenience\b|\bwarning\s+icon\b|"
    r"^\W*(?:yes|no|ok|accept|reject|allow|agree|continue)\b"
)
_HEADLINE_WORDS = re.compile(
    r"(?i)ofsted|rat(?:ed|ing)|judged|graded|inadequate|outstanding|good|requires|improv|"
    r"children|council"
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
    """The lines of the story itself, page furniture removed.

    Before the story's first line of prose the page is masthead: menus ("News", "Sport"),
    consent buttons, trending bars. There a tail marker ("Top stories", "Trending: ...") is a
    bar, not the end of the story, and short or link-bar lines are dropped, so that the
    opening the classifier reads is the headline and lede, not the navigation."""
    lines: list[str] = []
    started = False
    prose = 0  # lines of running text read so far
    raw = [line for line in normalise(text).splitlines() if line.strip()]
    for i, line in enumerate(raw):
        lowered = line.lower()
        if _link_between_bullets(raw, i):
            continue
        if _TAIL.match(lowered) and started:
            if prose < 2 and i + 1 < len(raw) and _is_sentence_prose(raw[i + 1]):
                # a sidebar's heading put between the photo caption and the lede ("Related
                # Stories" then "X council has apologised after ..."): the story goes on, as
                # the lists a real tail heads are headlines, not sentences
                continue
            break
        if not line.strip() or (len(line) < 300 and _FURNITURE.search(lowered)):
            continue
        if not started and (_masthead(line) or _MASTHEAD_FURNITURE.search(lowered)):
            continue
        started = started or _is_prose(line)
        prose += _is_prose(line)
        lines.append(line.strip(" \t•*-·>|"))
    return _read_tables(_join_wrapped(_join_cell_lines(lines)))


_OPEN_END = re.compile(r"[A-Za-z,]\s*$")
_LOWER_START = re.compile(r"\s*[a-z]")


def _join_wrapped(lines: list[str]) -> list[str]:
    """A sentence broken across lines ("..., moving from inadequate" then "to requires
    improvement to be good") joined back: a line of prose that stops without punctuation and
    a next line that starts in lower case are one sentence."""
    out: list[str] = []
    for line in lines:
        if (
            out
            and _LOWER_START.match(line)
            and _OPEN_END.search(out[-1])
            and len(_WORDS.findall(out[-1])) >= 5
            and len(out[-1]) + len(line) < MAX_SENTENCE
        ):
            out[-1] = f"{out[-1]} {line.strip()}"
        else:
            out.append(line)
    return out


_BULLET_ONLY = re.compile(r"\s*[-•*·|]\s*")


def _link_between_bullets(raw: list[str], i: int) -> bool:
    """A short headline between two bare bullet lines is a link to another story ("-",
    "Doncaster rethinks its trust", "-"), not the story's own text."""
    line = raw[i]
    if _BULLET_ONLY.fullmatch(line) or len(_WORDS.findall(line)) > 16:
        return False
    if line.rstrip().endswith((".", "!", "?", '"', ":")):
        return False
    above = i > 0 and _BULLET_ONLY.fullmatch(raw[i - 1]) is not None
    below = i + 1 < len(raw) and _BULLET_ONLY.fullmatch(raw[i + 1]) is not None
    return above and (below or i + 1 == len(raw) or _is_prose(raw[i + 1]))


_GRADE_CELL = re.compile(
    r"(?i)['\"]?(?:outstanding|good|inadequate|adequate|requires?\s+improvement(?:\s+to\s+be\s+"
    r"good)?)['\"]?"
)
_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+")
_OLD_COLUMN = re.compile(r"(?i)\b(?:previous|previously|old|last|before|was|from|prior)\b")
_NEW_COLUMN = re.compile(r"(?i)\b(?:new|latest|now|current|result|rating|grade|outcome|to)\b")


def _read_tables(lines: list[str]) -> list[str]:
    """A table whose header names a previous and a new grade column ("Council | Previous grade
    | New grade") is rewritten row by row as "Bolton: Outstanding (previously Good)": a row
    read alone would give its first grade, the old one, as the news."""
    out: list[str] = []
    columns: tuple[int, int, int] | None = None  # cell count, old column, new column
    for line in lines:
        cells = [c for c in _CELL_SPLIT.split(line) if c] if "|" in line or "\t" in line else []
        if columns is not None and len(cells) == columns[0]:
            _count, old, new = columns
            if _GRADE_CELL.fullmatch(cells[old]) and _GRADE_CELL.fullmatch(cells[new]):
                out.append(f"{cells[0]}: {cells[new]} (previously {cells[old]}).")
                continue
        columns = _header(cells)
        out.append(line)
    return out


_SHORT_CELL = 40
_NAME_COLUMN = re.compile(r"(?i)(?:council|authority|local\s+authority|area|borough)s?")


def _join_cell_lines(lines: list[str]) -> list[str]:
    """A table flattened to one cell per line ("Council", "Rating", "Previous", "Bury",
    "Good", ...) joined back into rows ("Council | Rating | Previous", "Bury | Good | ..."),
    so that it is read like any other table: its header first, then rows of as many cells,
    each row a name and then grades."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        width = _cell_header_width(lines, i)
        if not width:
            out.append(lines[i])
            i += 1
            continue
        out.append(" | ".join(lines[i : i + width]))
        i += width
        while i + width <= len(lines):
            row = lines[i : i + width]
            if _GRADE_CELL.fullmatch(row[0]) or not all(_GRADE_CELL.fullmatch(c) for c in row[1:]):
                break
            out.append(" | ".join(row))
            i += width
    return out


def _cell_header_width(lines: list[str], i: int) -> int:
    """How many lines from ``i`` on form a flattened table's header (0: none): a name column
    and a previous and a new grade column, each a short line of its own."""
    for width in (3, 4, 5):
        cells = lines[i : i + width]
        if len(cells) < width or any(len(c) > _SHORT_CELL or "|" in c for c in cells):
            return 0
        if _NAME_COLUMN.fullmatch(cells[0]) and _header(cells) is not None:
            return width
    return 0


def _header(cells: list[str]) -> tuple[int, int, int] | None:
    if len(cells) < 3:
        return None
    old = [i for i, c in enumerate(cells) if i and _OLD_COLUMN.search(c)]
    new = [i for i, c in enumerate(cells) if i and i not in old and _NEW_COLUMN.search(c)]
    if len(old) != 1 or len(new) != 1:
        return None
    return len(cells), old[0], new[0]


def _is_prose(line: str) -> bool:
    """A line of running text: the story has begun (a pull quote above the headline is not)."""
    if re.fullmatch(r'\s*"[^"]+"\s*', line):
        return False
    words = len(_WORDS.findall(line))
    return words >= 15 or (words >= 8 and line.rstrip().endswith((".", '"', "'", "!", "?")))


def _is_sentence_prose(line: str) -> bool:
    """A line of full sentences (not a linked headline): many words and a closing stop."""
    return len(_WORDS.findall(line)) >= 15 and line.rstrip().endswith((".", '"', "'", "!", "?"))


def _masthead(line: str) -> bool:
    """A navigation or link-bar line above the story (kept when it could be a short
    headline: "Hull rated inadequate"), but not a grade table's header or rows."""
    if _TAIL.match(line.lower()):
        return True
    if _LINK_BAR.search(line):
        cells = [c for c in _CELL_SPLIT.split(line) if c]
        return _header(cells) is None and not any(_GRADE_CELL.fullmatch(c) for c in cells)
    return len(_WORDS.findall(line)) < 4 and not _HEADLINE_WORDS.search(line)


def split_sentences(text: str, *, title: str | None = None) -> list[Sentence]:
    """The title (when given) then the story's sentences, in order. A title the body already
    carries near its top (a plain-text page's first line, an HTML body that repeats its <h1>)
    is read once, where the body has it: read twice, it would fill the opening the relevance
    tests look at."""
    sentences = []
    lines = story_lines(text[:MAX_TEXT])
    if title and title.strip() and not _repeats(title, text):
        sentences.append(Sentence(0, normalise(title.strip()[:MAX_SENTENCE]), is_title=True))
    for line in lines:
        for part in _SENTENCE_END.split(line):
            for piece in _pieces(part.strip()):
                sentences.append(Sentence(len(sentences), piece))
    return sentences


def _repeats(title: str, text: str) -> bool:
    """Whether ``title`` is one of the body's first lines (blanks and quotes aside)."""
    key = _line_key(title)
    if not key:
        return True
    head = [line for line in text[:5000].splitlines() if line.strip()][:8]
    return any(_line_key(line) == key for line in head)


def _line_key(line: str) -> str:
    return " ".join(_WORDS.findall(normalise(line).lower()))


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
