"""Shared pieces of the press-export readers: the Export record, byte decoding, dates, languages and field clean-up.

Every reader builds article dicts with `new_article`, checks them with `admit`, and closes the file with `finish`,
so that the three lists and the announced count follow one rule set whatever the database.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "ARTICLE_KEYS", "Export", "FoundDate", "RAW_LIMIT", "admit", "clean_author", "clip", "combine", "date_line",
    "declared_charset", "decode", "digits_only", "find_date", "finish", "is_copyright", "is_language",
    "is_page", "is_time", "is_word_count", "join_paragraphs", "language_code", "new_article", "non_press",
    "parse_date", "parse_time", "reject", "split_section", "squash", "strip_accents", "tidy_block", "where",
    "word_count",
]

ARTICLE_KEYS = (
    "title",
    "subtitle",
    "text",
    "published",
    "source",
    "author",
    "section",
    "page",
    "edition",
    "word_count",
    "document_id",
    "language",
    "url",
    "position",
)
RAW_LIMIT = 4000  # characters of raw text kept in a reject or non-press item: enough to look at, not a copy of the file


@dataclass
class Export:
    """What one export file held: articles, rejected pieces, non-press items, and what the file itself announced."""

    articles: list[dict] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)
    non_press: list[dict] = field(default_factory=list)
    announced: int | None = None
    encoding: str = "utf-8"


# --------------------------------------------------------------------------------------------------------------------
# Text clean-up

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# str.split() splits on every Unicode space (NBSP included) but keeps these: control characters, zero-width space, BOM.
_ODD = re.compile(r"[\x00-\x08\x0e-\x1b\x7f\u200b\ufeff]")


def squash(text: str | None) -> str | None:
    """Return the text on one line with single spaces, or None when nothing is left."""
    if text is None:
        return None
    if _ODD.search(text):
        text = _ODD.sub(" ", text)
    return " ".join(text.split()) or None


def tidy_block(text: str) -> str:
    """Return a block with single spaces inside lines and no blank-line runs (keeps line breaks)."""
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _SPACES.sub(" ", text)
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    return _MANY_NEWLINES.sub("\n\n", text).strip()


def join_paragraphs(paragraphs: list[str], clean: bool = True) -> str | None:
    """Join body paragraphs with a blank line, dropping empty ones; None when the body is empty.

    `clean=False` skips squashing paragraphs a reader has already squashed.
    """
    kept = [p for p in (squash(p) for p in paragraphs) if p] if clean else [p for p in paragraphs if p]
    return "\n\n".join(kept) or None


_COPYRIGHT = re.compile(
    r"^\s*\(?\s*(?:\(c\)|©|\u00a9|copyright\b|copr\.|tous droits réservés|all rights reserved|alle rechte vorbehalten"
    r"|todos los derechos reservados|alle rechten voorbehouden)",
    re.IGNORECASE,
)


def is_copyright(line: str, limit: int = 300) -> bool:
    """Tell a copyright notice from body text: it starts like one and is short (a paragraph quoting © runs longer)."""
    return bool(_COPYRIGHT.match(line)) and len(line) <= limit


_BYLINE_PREFIX = re.compile(r"^(?:by|from|von|par|door|por|di|de)\s+(?=\S)", re.IGNORECASE)


def clean_author(value: str | None) -> str | None:
    """Return the byline without its leading 'By'/'Von'/'Par'… and trailing punctuation."""
    value = squash(value)
    if not value:
        return None
    value = _BYLINE_PREFIX.sub("", value).strip(" .;,")
    return value or None


_DIGITS = re.compile(r"\d")


def digits_only(value: str | None) -> str | None:
    """Return the digits of a declared count ('2,968 words' gives '2968'), or None when it has none."""
    if not value:
        return None
    found = "".join(_DIGITS.findall(value))
    return found or None


_WORD_COUNT = re.compile(
    r"^\s*(\d[\d,.'\u00a0\u202f ]*)\s*"
    r"(?:words?|wörter|worte|mots?|woorden|palabras|parole|palavras|ord|sanaa)\b\.?\s*$",
    re.IGNORECASE,
)


def word_count(value: str | None) -> str | None:
    """Return the digits of a word-count field ('877 Wörter', '409  words', '2,968 words'), else None."""
    if not value:
        return None
    match = _WORD_COUNT.match(value)
    return digits_only(match.group(1)) if match else None


def is_word_count(value: str) -> bool:
    """Tell whether a line is a word count such as '808 words' or '295 mots'."""
    return bool(_WORD_COUNT.match(value))


# --------------------------------------------------------------------------------------------------------------------
# Byte decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_C1_BYTES = re.compile(rb"[\x80-\x9f]")


def declared_charset(data: bytes) -> str | None:
    """Return the charset an HTML/XML head declares, lower-cased, or None."""
    match = _DECLARED.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes as what they really are, whatever the file declares; return (text, encoding name).

    Strict UTF-8 is tried first because a non-UTF-8 file almost never decodes as UTF-8 by chance: that catches both
    lies seen in real exports (a Factiva page declaring UTF-8 in Latin-1 bytes, a Europresse page declaring
    ISO-8859-1 in UTF-8 bytes). Otherwise a declared single-byte charset is trusted, then Windows-1252, which is what
    Western press exports use; Latin-1 is reported when no byte uses the range where the two differ.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = (declared or declared_charset(data) or "").lower()
    if declared and declared not in ("utf-8", "utf8"):
        try:
            text = data.decode(declared)
            return text, _single_byte_name(data, declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("cp1252"), _single_byte_name(data, "cp1252")
    except UnicodeDecodeError:
        pass
    guess = _guess(data)
    if guess:
        try:
            return data.decode(guess), guess
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("latin-1"), "latin-1"


def _single_byte_name(data: bytes, name: str) -> str:
    if name.replace("_", "-") in ("cp1252", "windows-1252", "iso-8859-1", "latin-1", "latin1", "iso8859-1"):
        return "cp1252" if _C1_BYTES.search(data) else "latin-1"
    return name


def _guess(data: bytes) -> str | None:
    try:
        import charset_normalizer
    except ImportError:  # the project depends on it; a bare prototype run may not have it
        return None
    best = charset_normalizer.from_bytes(data[:65536]).best()
    return best.encoding if best else None


# --------------------------------------------------------------------------------------------------------------------
# Dates

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier janv januar jänner jaenner januari enero ene gennaio gen janeiro",
        "february feb febr février fevrier févr fevr februar februari febrero febbraio fevereiro fev",
        "march mar mars märz maerz mär maart mrt marzo março marco",
        "april apr avril avr abril aprile",
        "may mai mei mayo maggio mag maio",
        "june jun juin juni junio giugno giu junho",
        "july jul juillet juil juli julio luglio lug julho",
        "august aug août aout augustus agosto ago",
        "september sep sept septembre septiembre setiembre settembre set setembro",
        "october oct octobre oktober okt octubre ottobre ott outubro out",
        "november nov novembre noviembre novembro",
        "december dec décembre decembre déc dezember dez diciembre dic dicembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag "
    "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag "
    "lunes martes miércoles miercoles jueves viernes sábado sabado domingo "
    "lunedì lunedi martedì martedi mercoledì mercoledi giovedì giovedi venerdì venerdi sabato domenica "
    "segunda-feira terça-feira terca-feira quarta-feira quinta-feira sexta-feira"
).split()

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_WEEKDAY_ALT = "|".join(sorted((re.escape(w) for w in _WEEKDAYS), key=len, reverse=True))
_WEEKDAY = rf"(?:{_WEEKDAY_ALT})\.?"

# Month-first (English: "March 14, 2013"), day-first ("13 November 2017", "1er janvier", "24. September 2002",
# "17 de mayo de 2023") and ISO. The month must be a word: bare numbers such as "20.21" or "2) 30.00" are never dates.
_DATE_MONTH_FIRST = re.compile(
    rf"(?<![\w])(?P<month>{_MONTH_ALT})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?,?\s+(?:{_WEEKDAY},?\s+)?(?P<year>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_DATE_DAY_FIRST = re.compile(
    rf"(?<![\w])(?P<day>\d{{1,2}})(?:er|st|nd|rd|th|º|°)?\.?\s+(?:de\s+)?(?P<month>{_MONTH_ALT})\.?,?\s+(?:de\s+)?"
    rf"(?P<year>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_DATE_ISO = re.compile(
    r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
# A time, maybe a range ("17:00:00 - 18:00:00", broadcast transcripts) and a zone ("GMT", "EST", "+0100",
# "Eastern Time").
_TIME = re.compile(
    r"(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*"
    r"(?P<ampm>[ap]\.?\s?m\.?)?(?![\d\w])(?:\s*[-–]\s*\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?)?(?![\d\w]))?"
    r"\s*(?P<tz>(?:GMT|UTC)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?"
    r"|(?:Eastern|Central|Mountain|Pacific|Atlantic)(?:\s+(?:Standard|Daylight))?\s+Time"
    r"|[A-Z]{2,5}(?![\w])|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_TIME_ONLY = re.compile(r"^\s*" + _TIME.pattern + r"\s*$", re.IGNORECASE)
_LEAD_IN = re.compile(rf"[\s,;.\-–]*(?:(?:{_WEEKDAY})(?![\w])[\s,;.]*)?", re.IGNORECASE)
_TIME_JOINER = re.compile(r"(?:à|a|at|um|om|alle|às|kl\.?|,)\s+", re.IGNORECASE)
_TRAIL_JUNK = re.compile(rf"[\s,;.\-–]*(?:(?:{_WEEKDAY})(?![\w])[\s,;.]*)?", re.IGNORECASE)

_NUMERIC_ZONE = re.compile(r"(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?")
_ZONES = {
    "GMT": "+00:00", "UTC": "+00:00", "UT": "+00:00", "Z": "+00:00", "WET": "+00:00", "BST": "+01:00",
    "CET": "+01:00", "MEZ": "+01:00", "CEST": "+02:00", "MESZ": "+02:00", "EET": "+02:00", "EEST": "+03:00",
    "EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00", "MST": "-07:00", "MDT": "-06:00",
    "PST": "-08:00", "PDT": "-07:00", "AKST": "-09:00", "HST": "-10:00", "JST": "+09:00", "KST": "+09:00",
    "HKT": "+08:00", "SGT": "+08:00", "AEST": "+10:00", "AEDT": "+11:00", "ACST": "+09:30", "AWST": "+08:00",
    "NZST": "+12:00", "NZDT": "+13:00", "MSK": "+03:00", "EASTERNSTANDARDTIME": "-05:00",
    "EASTERNDAYLIGHTTIME": "-04:00", "CENTRALSTANDARDTIME": "-06:00", "CENTRALDAYLIGHTTIME": "-05:00",
    "PACIFICSTANDARDTIME": "-08:00", "PACIFICDAYLIGHTTIME": "-07:00", "MOUNTAINSTANDARDTIME": "-07:00",
    "MOUNTAINDAYLIGHTTIME": "-06:00",
}  # fmt: skip


@dataclass(frozen=True)
class FoundDate:
    """A date found in a line: its ISO form, where it starts and ends, and the time found right after it."""

    date: str
    start: int
    end: int
    time: str | None = None  # "HH:MM" plus "+HH:MM" when the zone is known


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> FoundDate | None:
    """Return the first written date in the text (and the time that follows it), or None.

    Only dates with a month name or ISO dates count, so headline numbers ("2) 30.00 Sportler", "1; National") are
    never taken for dates.
    """
    if not text:
        return None
    best: FoundDate | None = None
    for pattern in (_DATE_ISO, _DATE_MONTH_FIRST, _DATE_DAY_FIRST):
        for match in pattern.finditer(text):
            month = match.group("month")
            number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
            iso = _valid(int(match.group("year")), number or 0, int(match.group("day")))
            if not iso:
                continue
            if best is None or match.start() < best.start:
                time = _iso_time(match) if pattern is _DATE_ISO else None
                end = match.end()
                if time is None:
                    time, end = _time_after(text, end)
                best = FoundDate(iso, match.start(), end, time)
            break
    return best


def _iso_time(match: re.Match) -> str | None:
    if not match.group("hour"):
        return None
    zone = match.group("tz")
    offset = "+00:00" if zone == "Z" else (_colon(zone) if zone else "")
    return f"{match.group('hour')}:{match.group('minute')}{offset}"


def _colon(offset: str) -> str:
    offset = offset.replace(" ", "")
    return offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"


def _time_after(text: str, end: int) -> tuple[str | None, int]:
    """Return the time written right after a date (past a weekday and commas) and where it ends."""
    lead = _LEAD_IN.match(text, end)
    position = lead.end() if lead else end
    joiner = _TIME_JOINER.match(text, position)
    position = joiner.end() if joiner else position
    match = _TIME.match(text, position)
    if not match:
        return None, end
    time = parse_time(match.group(0))
    return (time, match.end()) if time else (None, end)


def parse_time(text: str | None) -> str | None:
    """Return 'HH:MM' (+offset when the zone is known) from '11:21 AM GMT', '09:43', '00:00:37', '06:04 GMT'."""
    if not text:
        return None
    match = _TIME_ONLY.match(text)
    if not match:
        return None
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    ampm = (match.group("ampm") or "").replace(".", "").replace(" ", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}{_offset(match.group('tz'))}"


def _offset(zone: str | None) -> str:
    if not zone:
        return ""
    zone = zone.strip().upper().replace(" ", "")
    if zone in _ZONES:
        return _ZONES[zone]
    match = _NUMERIC_ZONE.fullmatch(zone)
    if match:
        return f"{match.group(1)}{int(match.group(2)):02d}:{match.group(3) or '00'}"
    return ""


def is_time(text: str) -> bool:
    """Tell whether a whole line is a clock time ('09:43', '00:00:37', '06:04 GMT')."""
    return parse_time(text) is not None


def combine(date: str | None, time: str | None) -> str | None:
    """Return 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM[+HH:MM]'."""
    if not date:
        return None
    return f"{date}T{time}" if time else date


def parse_date(text: str | None) -> str | None:
    """Return the ISO date (with time when written after it) of the first date in the text, or None."""
    found = find_date(text or "")
    return combine(found.date, found.time) if found else None


def date_line(text: str) -> tuple[str, str] | None:
    """Read a line that *is* a date line ('March 14, 2013 Thursday 11:21 AM GMT', 'mercredi 17 avril 2013 20:15 GMT',
    'May 2, 2002, Thursday,, FINAL EDITION'): return (ISO date-time, what follows it), or None.

    The date must open the line (a weekday may come first), so a headline that merely mentions a date is not a date
    line.
    """
    text = squash(text) or ""
    lead = _LEAD_IN.match(text)
    start = lead.end() if lead else 0
    found = find_date(text)
    if not found or found.start != start:
        return None
    rest = text[found.end :]
    junk = _TRAIL_JUNK.match(rest)
    rest = rest[junk.end() :] if junk else rest
    return combine(found.date, found.time), rest.strip(" ,;") or ""


# --------------------------------------------------------------------------------------------------------------------
# Languages

_LANGUAGES = {
    "en": "english englisch anglais inglés ingles engels inglese inglês engelsk englanti angielski",
    "fr": "french français francais französisch franzoesisch francés frances frans francese francês fransk",
    "de": "german deutsch allemand alemán aleman duits tedesco alemão tysk saksa niemiecki",
    "nl": "dutch nederlands niederländisch niederlaendisch néerlandais neerlandais neerlandés holandés olandese "
    "holandês hollandsk flemish vlaams",
    "es": "spanish español espanol spanisch espagnol spaans spagnolo espanhol castellano castilian",
    "it": "italian italiano italienisch italien italiaans",
    "pt": "portuguese português portugues portugiesisch portugais portugees portoghese",
    "ru": "russian russisch russe русский ruso russo",
    "zh": "chinese chinesisch chinois chino cinese 中文",
    "ja": "japanese japanisch japonais japonés japones giapponese",
    "ar": "arabic arabisch arabe árabe",
    "sv": "swedish schwedisch suédois svenska",
    "da": "danish dänisch danois dansk",
    "no": "norwegian norwegisch norvégien norsk",
    "fi": "finnish finnisch finnois suomi",
    "pl": "polish polnisch polonais polski",
    "tr": "turkish türkisch turc türkçe",
    "el": "greek griechisch grec ελληνικά",
    "ca": "catalan katalanisch català",
}
_LANGUAGE_NAMES = {name: code for code, names in _LANGUAGES.items() for name in names.split()}
_CODES = set(_LANGUAGES)
_LANGUAGE_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?", re.UNICODE)


def language_code(value: str | None) -> str | None:
    """Map a declared language ('Englisch', 'Français', 'EN', 'ENGLISH; ENGLISHS', 'Dutch / Nederlands') to
    ISO 639-1."""
    if not value:
        return None
    for word in _LANGUAGE_WORD.findall(value):
        low = word.lower()
        if low in _LANGUAGE_NAMES:
            return _LANGUAGE_NAMES[low]
        if low.endswith("s") and low[:-1] in _LANGUAGE_NAMES:  # LexisNexis writes "ENGLISHS" for multi-valued fields
            return _LANGUAGE_NAMES[low[:-1]]
        if len(low) == 2 and low in _CODES:
            return low
    return None


def is_language(value: str) -> bool:
    """Tell whether a whole short line names a language (a Factiva header line such as 'Englisch')."""
    value = value.strip()
    return 0 < len(value) <= 40 and language_code(value) is not None and len(value.split()) <= 3


# --------------------------------------------------------------------------------------------------------------------
# Pages and sections

_PAGE_PART = re.compile(
    r"^(?:pg|page|pages|p|pp|s|seite|seiten|blz|pag|pág|página|pagina)\.?\s*[:.]?\s*(?P<page>[A-Z]{0,3}\d+[A-Z]{0,3}(?:\s*[-–,/]\s*[A-Z]{0,3}\d+[A-Z]{0,3})*)$",
    re.IGNORECASE,
)
_VERSION_PART = re.compile(r"^version\s*:?\s*\d+$", re.IGNORECASE)


def split_section(value: str | None) -> tuple[str | None, str | None]:
    """Split a LexisNexis section field into (section, page): 'NEWS; Pg. 21' gives ('NEWS', '21'),
    'Section 5; Part 2; Page 16; Column 2; National Desk' keeps everything but the page, 'BUSINESS; Version:1' drops
    the version."""
    value = squash(value)
    if not value:
        return None, None
    page = None
    kept = []
    for part in (p.strip() for p in value.split(";")):
        if not part:
            continue
        pieces = []
        for piece in (x.strip() for x in part.split(", ")):  # "Page 22, Column 2"
            match = _PAGE_PART.match(piece)
            if match and page is None:
                page = match.group("page").replace(" ", "")
            elif piece and not _VERSION_PART.match(piece):
                pieces.append(piece)
        if pieces:
            kept.append(", ".join(pieces))
    return ("; ".join(kept) or None), page


_PAGE_VALUE = re.compile(r"^[A-Z]{0,3}\d{1,4}[A-Z]{0,3}(?:\s*[-–,/]\s*[A-Z]{0,3}\d{1,4}[A-Z]{0,3})*$")


def is_page(value: str) -> bool:
    """Tell whether a short unlabelled line is a page number ('13', '4,5', 'A1', '20,21')."""
    return bool(_PAGE_VALUE.match(value.strip()))


# --------------------------------------------------------------------------------------------------------------------
# Building the export

_REQUIRED = (("title", "no title"), ("published", "no date"), ("source", "no publication"))


def new_article(**fields: str | None) -> dict:
    """Return an article dict with every key, values squashed to one line (text keeps its paragraphs)."""
    article: dict = dict.fromkeys(ARTICLE_KEYS)
    for key, value in fields.items():
        if key not in article:
            raise KeyError(key)
        article[key] = value if key == "text" else squash(value)
    if article["text"] is not None and not article["text"].strip():
        article["text"] = None
    return article


def where(index: int, total: int | None, noun: str = "article") -> str:
    """Return 'article 3 of 44' (1-based), or 'article 3' when the total is unknown."""
    return f"{noun} {index} of {total}" if total else f"{noun} {index}"


def clip(raw: str | None) -> str:
    """Return the raw text of a piece, cut to a readable length."""
    raw = raw or ""
    return raw if len(raw) <= RAW_LIMIT else raw[:RAW_LIMIT] + " […]"


def reject(position: str, reason: str, detail: str, raw: str | None) -> dict:
    """Return a reject record."""
    return {"position": position, "reason": reason, "detail": detail, "raw": clip(raw)}


def non_press(position: str, kind: str, detail: str, raw: str | None) -> dict:
    """Return a non-press record."""
    return {"position": position, "kind": kind, "detail": detail, "raw": clip(raw)}


def admit(export: Export, article: dict, raw: str | None, what: str) -> None:
    """Put the article in `articles`, or in `rejects` when it lacks a title, a parseable date or a publication.

    `what` names the layout for the detail message (e.g. 'Factiva HTML').
    """
    for key, reason in _REQUIRED:
        if not article.get(key):
            found = ", ".join(f"{k}={article[k]!r}" for k in ("title", "published", "source") if article.get(k))
            export.rejects.append(
                reject(
                    article["position"],
                    reason,
                    f"{what}: expected a {key} but found none (found {found or 'nothing usable'}); "
                    "check this piece in the file, it may be a table, a picture or a damaged record",
                    raw,
                )
            )
            return
    export.articles.append(article)


def finish(export: Export, path: object, what: str) -> Export:
    """Add one reject when the pieces found do not add up to what the file announced, then return the export."""
    found = len(export.articles) + len(export.rejects) + len(export.non_press)
    if export.announced is None or found == export.announced:
        return export
    if found < export.announced:
        missing = export.announced - found
        span = f"article {found + 1}" if missing == 1 else f"articles {found + 1}–{export.announced}"
        export.rejects.append(
            reject(
                f"{span} of {export.announced}",
                "missing",
                f"{what} {path}: the file announces {export.announced} articles but only {found} pieces were found; "
                f"{missing} {'is' if missing == 1 else 'are'} missing (the download may have been cut short, or the "
                "file trimmed; download the range again)",
                None,
            )
        )
    else:
        export.rejects.append(
            reject(
                f"file {path}",
                "count mismatch",
                f"{what} {path}: the file announces {export.announced} articles but {found} pieces were found; "
                "check whether some were split in two",
                None,
            )
        )
    return export


def strip_accents(text: str) -> str:
    """Return the text without accents, lower-cased (for matching labels typed in several languages)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
