"""The calendar periods reports count by: their codes, pandas' names for them, and their names in words.

Kept free of pandas, so that parameters can be checked without loading it.
"""

__all__ = ["FREQUENCIES", "FREQUENCY_NAMES", "frequency_code"]

FREQUENCIES = {"D": "D", "W": "W-SUN", "M": "M", "Q": "Q-DEC", "Y": "Y-DEC"}  # code -> pandas period alias
FREQUENCY_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
# What researchers write for a period: the code, its name, the adverb, in English and French.
_ALIASES = {
    "d": "D", "day": "D", "daily": "D", "jour": "D", "quotidien": "D",
    "w": "W", "week": "W", "weekly": "W", "semaine": "W", "hebdomadaire": "W",
    "m": "M", "month": "M", "monthly": "M", "mois": "M", "mensuel": "M", "me": "M", "ms": "M",
    "q": "Q", "quarter": "Q", "quarterly": "Q", "trimestre": "Q", "trimestriel": "Q",
    "y": "Y", "year": "Y", "yearly": "Y", "annual": "Y", "a": "Y", "an": "Y", "année": "Y", "annuel": "Y",
}


def frequency_code(value) -> str | None:
    """Return the period code (D, W, M, Q, Y) for what a researcher wrote (`W`, `week`, `weekly`, `semaine`), or
    None when it is no period."""
    return _ALIASES.get(str(value).strip().lower()) if value is not None else None
