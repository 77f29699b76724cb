"""Errors whose message is shown to the user as it is (the CLI and web turn them into text)."""


class ReportbotError(Exception):
    """Base class: the message says what was expected, what was found and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(ReportbotError):
    """A setting has a value that cannot work."""


class LoadError(ReportbotError):
    """A document could not be read; names the file and the reason."""


class EmbedderError(ReportbotError):
    """The embedding backend cannot be loaded or used."""


class StoreError(ReportbotError):
    """The vector store or the catalog cannot be reached or is inconsistent."""


class QuestionError(ReportbotError):
    """The question cannot be answered as asked (empty, too long, ...)."""


class AccessError(ReportbotError):
    """A login, account or permission problem (users file, admin-only actions)."""


class EndpointError(ReportbotError):
    """The LLM server failed (refused, timed out, HTTP error, malformed or empty reply);
    ``reason`` is the short cause shown beside the extractive answer that replaces it."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
