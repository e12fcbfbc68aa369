"""Detect each article's language (ISO 639-1), fast enough for a million articles.

Two stages. News prose in the languages researchers mostly study is recognised by counting very frequent function
words in the first characters of each text, in one vectorised pass over the whole column. Texts that pass is not sure
about (short, mixed, or in another language) go to py3langid, a naive Bayes classifier over byte n-grams trained on
97 languages, restricted to `languages`.
"""

from __future__ import annotations

import itertools
import os
import threading
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe import words
from newsframe.errors import ParameterError

__all__ = ["DEFAULT_LANGUAGES", "SAMPLE_CHARS", "check_languages", "detect", "load_classifier", "normalise_code"]

DEFAULT_LANGUAGES = ("fr", "en", "de", "es", "it", "pt", "nl", "ar", "ru")
SAMPLE_CHARS = 600  # what py3langid reads of a text the fast pass leaves undecided
# What the fast pass reads: about 50 words, 15 or more of them function words in news prose. Counting is a regex pass
# per language, among the costliest steps of ingest, so it reads half the sample; on the 28,738 real French, English
# and Reuters texts in ../shared/data the results are the same as with the whole sample.
FUNCTION_WORD_CHARS = 300

# Function words that are frequent in running text of one language and rare in the others, all ASCII so that the
# regex engine's word boundaries hold. Elided French words (l', d', qu', n', s'…) count with their apostrophe: the
# elisions that `words.fold` removes, with any apostrophe it straightens.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset("le les des et est dans pour une qui avec sur pas du au aux ces cette sont ont".split()),
    "en": frozenset("the and of to is that with was for are this have has were from by which".split()),
    "de": frozenset("der die und das ist nicht mit den von sich ein eine auch dem im zu".split()),  # not "des": French
    "es": frozenset("el los las del por con para y es se al lo como pero su".split()),
    "it": frozenset("il di che della per non sono gli nel alla anche come dei delle".split()),
    "pt": frozenset("os do da em um uma com ao dos das pelo pela mais".split()),
}
_ELISIONS = {"fr": rf"\b(?:{'|'.join(words.ELIDED)})(?:'|{words.APOSTROPHES})"}
MIN_LETTERS = 12  # fewer letters than this ("-1", "AFP") is no language at all
MIN_HITS = 5  # a decision needs at least this many function words...
MIN_RATIO = 3.0  # ...and this many times more than the runner-up language


def detect(texts: pd.Series, *, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> pd.Series:
    """Return the ISO 639-1 code of each text (missing for empty texts), restricted to `languages`."""
    sample = _sample(texts)
    decided = _by_function_words(sample, languages=languages)
    undecided = decided.isna()
    if undecided.any():
        undecided[undecided] = [_has_letters(text) for text in sample[undecided]]
    if undecided.any():
        identifier = _identifier(tuple(sorted(languages)))
        decided[undecided] = [identifier.classify(text)[0] for text in sample[undecided]]
    return decided.astype("string")


def _has_letters(text: str) -> bool:
    # In Python, not with a regex over the column: compiling \p{L} costs more than counting the few texts left here.
    return len(list(itertools.islice(filter(str.isalpha, text), MIN_LETTERS))) == MIN_LETTERS


def normalise_code(codes: pd.Series) -> pd.Series:
    """Return declared language tags (`fr-FR`, `en_US`, `French`) as ISO 639-1 codes, missing when unknown."""
    if codes.isna().all():  # most inputs declare none: no string passes for them
        return pd.Series(pd.NA, index=codes.index, dtype="string")
    lowered = codes.astype("string").str.strip().str.lower()
    primary = lowered.str.split(r"[-_]", n=1, regex=True).str[0]
    primary = primary.replace(_LANGUAGE_NAMES)
    return primary.where(primary.str.fullmatch(r"[a-z]{2}").fillna(False)).astype("string")


_LANGUAGE_NAMES = {
    "french": "fr", "français": "fr", "francais": "fr", "english": "en", "anglais": "en", "german": "de",
    "spanish": "es", "italian": "it", "portuguese": "pt", "fre": "fr", "fra": "fr", "eng": "en",
}


def _sample(texts: pd.Series) -> pd.Series:
    arr = pa.array(texts.astype("string").array, type=pa.large_string(), from_pandas=True)
    arr = pc.utf8_slice_codeunits(pc.fill_null(arr, ""), 0, SAMPLE_CHARS)
    return pd.Series(arr, index=texts.index, dtype="string")


def _by_function_words(sample: pd.Series, *, languages: tuple[str, ...]) -> pd.Series:
    """Return the language where function-word counts are decisive, else missing (vectorised over the column)."""
    candidates = [lang for lang in _FUNCTION_WORDS if lang in languages]
    result = pd.Series(pd.NA, index=sample.index, dtype="object")
    if len(sample) == 0 or len(candidates) < 2:
        return result
    head = pc.utf8_slice_codeunits(pa.array(sample.array, type=pa.large_string()), 0, FUNCTION_WORD_CHARS)
    counts = _function_word_counts(pc.utf8_lower(head), candidates)
    ranked = np.sort(counts, axis=1)
    sure = _is_sure(ranked[:, -1], ranked[:, -2])
    winners = np.array(candidates, dtype=object)[counts.argmax(axis=1)]
    result[sure] = winners[sure]
    return result


def _function_word_counts(lowered: pa.Array, candidates: list[str]) -> np.ndarray:
    """Return function-word counts per text and candidate language: a regex pass per language, saved where it can.

    The first two candidates (French and English) are counted, and the words of all the others together in one
    pass: where one of the two is sure even against that joint count, it is sure against each of the others
    apart, and their counts (left at 0) change nothing. Only the other texts get a pass per language.
    """
    counts = np.zeros((len(lowered), len(candidates)), dtype=np.int64)
    leading, others = candidates[:2], tuple(candidates[2:])
    for column, lang in enumerate(leading):
        counts[:, column] = pc.count_substring_regex(lowered, _pattern((lang,))).to_numpy()
    if not others:
        return counts
    joint = pc.count_substring_regex(lowered, _pattern(others)).to_numpy()
    settled = _is_sure(counts[:, :2].max(axis=1), np.maximum(counts[:, :2].min(axis=1), joint))
    rows = np.flatnonzero(~settled)
    if len(rows):
        rest = lowered.take(pa.array(rows))
        for column, lang in enumerate(others, start=len(leading)):
            counts[rows, column] = pc.count_substring_regex(rest, _pattern((lang,))).to_numpy()
    return counts


def _is_sure(best: np.ndarray, runner_up: np.ndarray) -> np.ndarray:
    return (best >= MIN_HITS) & (best >= MIN_RATIO * np.maximum(runner_up, 1))


@cache
def _pattern(langs: tuple[str, ...]) -> str:
    """Return a regex matching the function words of `langs` (elided French articles included)."""
    function_words = sorted(set().union(*(_FUNCTION_WORDS[lang] for lang in langs)), key=lambda w: (-len(w), w))
    elisions = [_ELISIONS[lang] for lang in langs if lang in _ELISIONS]
    return "|".join([r"\b(?:" + "|".join(function_words) + r")\b", *elisions])


def check_languages(languages: tuple[str, ...]) -> None:
    """Raise ParameterError naming any code in `languages` that the detector cannot answer."""
    known = _known_languages()
    unknown = [code for code in languages if code not in known]
    if unknown or not languages:
        raise ParameterError(
            f"languages: the detector does not know {', '.join(map(repr, unknown)) or 'an empty list'}. Give ISO "
            f"639-1 codes, comma-separated, such as {','.join(DEFAULT_LANGUAGES)}; it knows {', '.join(sorted(known))}."
        )


@cache
def _known_languages() -> frozenset[str]:
    try:
        return frozenset(np.load(_unpacked_model_folder() / "classes.npy", allow_pickle=False).tolist())
    except Exception:  # noqa: BLE001 - the cache is unusable: ask the packaged model (slower to load)
        from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

        return frozenset(LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE).nb_classes)


def load_classifier(languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> None:
    """Load py3langid's model now (fast once it is unpacked in the cache), e.g. in the background while input is
    read.

    Loaded once per process, however many threads ask at the same time.
    """
    _identifier(tuple(sorted(languages)))


_LOADING = threading.Lock()


def _identifier(languages: tuple[str, ...]):
    with _LOADING:  # batches are normalised on several threads: without it each would load its own copy
        return _load_identifier(languages)


@cache
def _load_identifier(languages: tuple[str, ...]):
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = _from_unpacked_model(languages)
    if identifier is None:
        identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE)
        identifier.set_languages(list(languages))  # raises ValueError naming a code the model does not know
    return identifier


def _from_unpacked_model(languages: tuple[str, ...]):
    """Return py3langid's classifier for `languages`, mapped from an unpacked copy of its model, else None.

    py3langid ships the model LZMA-compressed and unpacks it at every start, which costs more than all the rest of
    ingesting 10,000 articles. The copy (68 MB, one .npy file per array) is made once per py3langid version and is
    memory-mapped, not read: only the chosen languages' columns of the probability table are copied, and the
    tokeniser's table is used in place, so loading is almost free and worker processes share the pages. The
    tables hold the same numbers as py3langid's, so the results are the same. Anything unexpected (a read-only
    home, another model layout, a language the model does not know) falls back to py3langid's own loader.
    """
    try:
        from py3langid.langid import LanguageIdentifier

        folder = _unpacked_model_folder()

        def mapped(name: str) -> np.ndarray:
            return np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)

        classes = mapped("classes").tolist()
        if not set(languages) <= set(classes):
            return None
        columns = [i for i, code in enumerate(classes) if code in languages]
        nextmove = mapped("nextmove")
        return LanguageIdentifier(
            np.ascontiguousarray(mapped("ptc_by_class")[columns].T), np.array(mapped("pc")[columns]),
            [classes[i] for i in columns],
            memoryview(nextmove).cast("B").cast(nextmove.dtype.char),  # indexed like py3langid's own array
            mapped("out_feat").tolist(), tk_row=mapped("nextmove_row").tolist(),
        )
    except Exception:  # noqa: BLE001 - a cache: any failure means "load the packaged model instead"
        return None


def _unpacked_model_folder() -> Path:
    """Return the cache folder holding py3langid's model as .npy files, unpacking the packaged model there once."""
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    packed = MODEL_DIR / MODEL_FILE
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = cache_home / "newsframe" / f"py3langid-{py3langid.__version__}-{packed.stat().st_size}"
    if not folder.is_dir():
        _unpack_model(packed, folder)
    return folder


def _unpack_model(packed: Path, folder: Path) -> None:
    """Write the model's arrays into `folder`, all or nothing: a scratch folder is renamed into place."""
    import lzma
    import shutil
    import tempfile

    folder.parent.mkdir(parents=True, exist_ok=True)
    Path(f"{folder}.npz").unlink(missing_ok=True)  # the single-file copy earlier versions made
    scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        with tempfile.TemporaryFile() as npz:
            with lzma.open(packed) as source:
                shutil.copyfileobj(source, npz, length=1 << 20)
            npz.seek(0)
            with np.load(npz, allow_pickle=False) as model:
                for name in model.files:
                    # ptc is features x languages: stored transposed, so that each language's column is contiguous
                    array, stored = (model[name].T, "ptc_by_class") if name == "ptc" else (model[name], name)
                    np.save(scratch / f"{stored}.npy", np.ascontiguousarray(array), allow_pickle=False)
        try:
            os.rename(scratch, folder)
        except OSError:
            if not folder.is_dir():  # else another process unpacked it first, which is as good
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
