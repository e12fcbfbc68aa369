"""The calendar periods reports count by: their codes, pandas' names for them, and their names in words.

Kept free of pandas, so that parameters can be checked without loading it.
"""

__all__ = ["FREQUENCIES", "FREQUENCY_NAMES"]

FREQUENCIES = {"D": "D", "W": "W-SUN", "M": "M", "Q": "Q-DEC", "Y": "Y-DEC"}  # code -> pandas period alias
FREQUENCY_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
