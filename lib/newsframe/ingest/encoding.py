"""Turn a file's bytes into text, detecting the encoding and refusing binary junk."""

from __future__ import annotations

import codecs
import re

from newsframe.errors import InputError

__all__ = ["CONTROL_BYTES", "MIXED", "canonical", "check_is_text", "decode", "decode_line", "detect"]

# A file that is mostly UTF-8 with some Windows-1252 bytes in it (text pasted from another file): each part is read
# in its own encoding, and the records say so.
MIXED = "utf-8+cp1252"
# Complete UTF-8 sequences of two to four bytes: a text holding them is UTF-8 at heart, even where some bytes are not.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_WORD = re.compile(r"\w+")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_OTHER_LETTER = re.compile(r"[\u0370-\u03ff\u0400-\u052f\u0590-\u06ff]")  # Greek, Cyrillic, Hebrew, Arabic

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than tab, newline, carriage return and form feed: text files hardly ever hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_MAX_CONTROL_SHARE = 0.01
_MIN_CONTROLS = 8  # a stray NUL in a short article is dirt to clean, not a binary file
_SINGLE_BYTE = ("cp1252", "cp1251", "cp1256", "cp1253", "cp1254", "cp1250", "koi8_r", "iso8859_15")
_LATIN = {"cp1250", "cp1252", "cp1254", "iso8859_1", "iso8859_2", "iso8859_15", "latin_1", "mac_latin2", "mac_roman"}


def detect(data: bytes, *, name: str) -> str:
    """Return the encoding of `data`: a BOM, else UTF-8 if it decodes, else the best statistical guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return MIXED
    import charset_normalizer  # only for files that are not UTF-8: importing it at every start costs time

    sample = data[:1_000_000]
    if b"\x00" in sample[:4096]:
        guess = charset_normalizer.from_bytes(sample).best()  # UTF-16/32 without a BOM
        if guess is None or not guess.encoding.startswith("utf"):
            raise InputError(
                f"{name}: looks like a binary file, not text. Remove it from the input or export it as text."
            )
        return guess.encoding
    guess = charset_normalizer.from_bytes(sample, cp_isolation=list(_SINGLE_BYTE)).best()
    other_script = guess is not None and guess.encoding not in _LATIN
    if other_script and not _mixes_scripts(sample.decode(guess.encoding, "replace")):
        return guess.encoding  # Cyrillic, Arabic, Greek… single-byte code pages
    # Statistics cannot tell the Latin code pages apart on short texts (é is the same byte in most of them);
    # cp1252 is what Western European Windows and press-database exports use.
    return "cp1252" if _decodes(sample, "cp1252") else "latin-1"


def _mixes_scripts(text: str) -> bool:
    """Return whether many words mix Latin letters with letters of another script: what Latin text read in a
    Cyrillic or Greek code page looks like (`l’йtй а Noлl`), and real text almost never is."""
    words = [w for w in _WORD.findall(text[:200_000]) if not w.isascii()]
    mixed = sum(1 for w in words if _LATIN_LETTER.search(w) and _OTHER_LETTER.search(w))
    return mixed > 0.2 * len(words)


def _mostly_utf8(data: bytes) -> bool:
    """Return whether bytes that are not all UTF-8 hold more complete UTF-8 sequences than stray bytes: UTF-8 text
    with pieces of another encoding in it, not a single-byte text (where such sequences are accidents)."""
    sample = data[:1_000_000]
    stray = len(sample) - len(sample.decode("utf-8", "ignore").encode("utf-8"))
    return 4 * len(_UTF8_SEQUENCE.findall(sample)) >= stray


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 could not as Windows-1252 (its five unassigned bytes as Latin-1)."""
    bad = error.object[error.start : error.end]
    return "".join(chr(b) if b in _CP1252_UNDEFINED else bytes([b]).decode("cp1252") for b in bad), error.end


codecs.register_error("newsframe-cp1252", _cp1252_fallback)


def decode_line(data: bytes, encoding: str) -> tuple[str, str]:
    """Return (text, encoding used) for one line or record of a file read in `encoding`; a line that is not valid
    in it (a stray Windows-1252 byte in a UTF-8 file) is read as Windows-1252, or Latin-1, and says so."""
    primary = "utf-8" if encoding == MIXED else encoding
    try:
        return data.decode(primary), encoding
    except UnicodeDecodeError:
        if primary.startswith("utf-8"):
            return data.decode(primary, "newsframe-cp1252"), MIXED
        return data.decode("latin-1"), "latin-1"


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes, *, name: str) -> tuple[str, str]:
    """Return (text, encoding) for a file's bytes; raise InputError for binary or undecodable content."""
    if not data.startswith(tuple(bom for bom, _ in _BOMS)):
        try:  # the common case, decoded once rather than once to detect and again to read
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            # In UTF-8 a control character is a single byte of its own, so counting bytes is exact (and fast).
            controls = len(data) - len(data.translate(None, CONTROL_BYTES))
            if controls > max(_MIN_CONTROLS, _MAX_CONTROL_SHARE * len(text)):
                check_is_text(text, name=name)
            return text, "utf-8"
    encoding = detect(data, name=name)
    if encoding == MIXED:
        text = data.decode("utf-8", "newsframe-cp1252")
        check_is_text(text, name=name)
        return text, MIXED
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(
            f"{name}: cannot decode as {encoding} ({exc}). Re-save the file as UTF-8 and ingest it again."
        ) from exc
    check_is_text(text, name=name)
    return text, canonical(encoding)


def check_is_text(text: str, *, name: str) -> None:
    """Raise InputError when decoded text is mostly control characters (binary junk)."""
    sample = text[:200_000]
    if _CONTROL.search(sample) and len(_CONTROL.findall(sample)) > max(_MIN_CONTROLS, _MAX_CONTROL_SHARE * len(sample)):
        raise InputError(
            f"{name}: looks like a binary or corrupt file (many control characters), not text. "
            "Remove it from the input, or re-export it as UTF-8 text."
        )


def canonical(encoding: str | None) -> str | None:
    """Return the standard name of an encoding (`UTF8` -> `utf-8`), keeping `utf-8-sig` to record the BOM."""
    if encoding is None or encoding in ("utf-8-sig", MIXED):
        return encoding
    return codecs.lookup(encoding).name
