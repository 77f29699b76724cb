"""reportbot: cited, number-checked answers over a Chinese government report."""

__version__ = "0.1.0"
