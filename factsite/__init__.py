"""factsite: turn the checkable claims of one article into a static fact-check site."""

__version__ = "0.1.0"
