"""newsframe: tidy news corpora, timelines and topics as reproducible HTML reports."""

__version__ = "0.1.0"
