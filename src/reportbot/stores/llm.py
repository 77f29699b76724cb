"""The site's own LLM server (any OpenAI-compatible ``/v1/chat/completions``: vLLM, Ollama,
llama.cpp server, an intranet gateway) through LangChain's ``ChatOpenAI``.

No retries and the configured timeout, so a failing server costs at most one timeout; every
failure becomes an :class:`EndpointError` with a short reason. Tokens are never counted
(tiktoken would download its encodings).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from reportbot.config import Settings
from reportbot.errors import ConfigError, EndpointError


def chat_model(settings: Settings) -> BaseChatModel:
    """ChatOpenAI for the configured server (import deferred: the extractive path never
    loads the OpenAI client)."""
    if not settings.llm_base_url:
        raise ConfigError("no LLM server configured: set REPORTBOT_LLM_BASE_URL and "
                          "REPORTBOT_LLM_MODEL to use the generative composer")
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "none"
    # ChatOpenAI sends the limit as max_completion_tokens; llama.cpp and older vLLM and
    # Ollama read only max_tokens, so the body carries both.
    return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model,
                      api_key=key,  # type: ignore[arg-type]
                      timeout=settings.llm_timeout_s, max_retries=0, temperature=0,
                      max_tokens=settings.llm_max_tokens,  # type: ignore[call-arg]
                      extra_body={"max_tokens": settings.llm_max_tokens}, stream_usage=False)


def endpoint_error(exc: BaseException, settings: Settings) -> EndpointError | None:
    """The EndpointError for a failure of the server, or None for anything else (a bug of
    ours must not pass as the server's fault)."""
    import openai

    where = f"LLM server {settings.llm_base_url}"
    if isinstance(exc, openai.APITimeoutError):
        return EndpointError("endpoint timeout",
                             f"{where}: no reply within {settings.llm_timeout_s:g} s")
    if isinstance(exc, openai.APIConnectionError):
        return EndpointError("endpoint unreachable", f"{where}: cannot connect ({exc})")
    if isinstance(exc, openai.APIStatusError):
        return EndpointError(f"endpoint http {exc.status_code}",
                             f"{where}: HTTP {exc.status_code} ({exc.message[:200]})")
    if isinstance(exc, json.JSONDecodeError | ValueError | openai.APIResponseValidationError):
        return EndpointError("endpoint malformed reply",
                             f"{where}: the reply is not a chat completion ({exc})")
    return None


class ChatEndpoint:
    """One configured server: a whole reply, or its pieces as they stream in."""

    def __init__(self, settings: Settings, model: BaseChatModel | None = None) -> None:
        self.settings = settings
        self.model = model or chat_model(settings)

    def reply(self, messages: Sequence[BaseMessage]) -> str:
        """The whole reply text (plain JSON completion)."""
        try:
            message = self.model.invoke(list(messages))
        except Exception as exc:
            self._raise(exc)
        return self._nonempty(_text(message.content))

    def stream(self, messages: Sequence[BaseMessage]) -> Iterator[str]:
        """The reply's pieces as the server sends them (server-sent events); the whole
        stream must end within the timeout, not only each read."""
        started = time.monotonic()
        seen = False
        try:
            for chunk in self.model.stream(list(messages)):
                if time.monotonic() - started > self.settings.llm_timeout_s:
                    raise EndpointError("endpoint timeout", f"LLM server "
                                        f"{self.settings.llm_base_url}: the reply did not "
                                        f"end within {self.settings.llm_timeout_s:g} s")
                piece = _text(chunk.content)
                seen = seen or bool(piece.strip())
                if piece:
                    yield piece
        except EndpointError:
            raise
        except Exception as exc:
            self._raise(exc)
        if not seen:
            self._nonempty("")

    def _raise(self, exc: Exception) -> NoReturn:
        error = endpoint_error(exc, self.settings)
        if error is None:
            raise exc
        raise error from exc

    def _nonempty(self, text: str) -> str:
        if not text.strip():
            raise EndpointError("endpoint empty reply",
                                f"LLM server {self.settings.llm_base_url}: an empty reply")
        return text


def _text(content: Any) -> str:
    """Message content as text (a list of parts from some servers)."""
    if isinstance(content, str):
        return content
    return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
