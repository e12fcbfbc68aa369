"""The few exceptions newsframe raises, each with a message a researcher can act on."""

__all__ = ["InputError", "NewsframeError", "ParameterError", "ReportError", "SchemaError"]


class NewsframeError(Exception):
    """Base class: every error newsframe raises on purpose."""


class InputError(NewsframeError):
    """An input path or file cannot be used (missing, unreadable, wrong format)."""


class SchemaError(NewsframeError):
    """A frame does not match the articles schema (missing column, wrong dtype, bad value)."""


class ParameterError(NewsframeError):
    """A notebook or command parameter is unknown or has the wrong type or value."""


class ReportError(NewsframeError):
    """A notebook failed while running or rendering a report."""
