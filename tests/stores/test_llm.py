"""The LLM server settings and client: unset means no client; failures become one
EndpointError with a short reason (real HTTP to the scripted server on loopback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage

from reportbot.errors import ConfigError, EndpointError
from reportbot.stores.llm import ChatEndpoint
from tests.conftest import make_settings
from tests.llm_server import scripted_llm


def test_an_empty_base_url_is_unset_and_a_url_needs_a_model(tmp_path: Path) -> None:
    assert make_settings(tmp_path, llm_base_url="  ").llm_base_url is None
    with pytest.raises(ConfigError, match="REPORTBOT_LLM_MODEL"):
        make_settings(tmp_path, llm_base_url="http://127.0.0.1:8000/v1")
    with pytest.raises(ConfigError, match="expected an http"):
        make_settings(tmp_path, llm_base_url="127.0.0.1:8000", llm_model="m")
    with pytest.raises(ConfigError, match="REPORTBOT_LLM_BASE_URL"):
        ChatEndpoint(make_settings(tmp_path))


def test_plain_and_streamed_replies_and_a_failure_reason(tmp_path: Path) -> None:
    with scripted_llm({"echo": lambda prompt: f"收到：{prompt}"}) as llm:
        def endpoint(model: str) -> ChatEndpoint:
            return ChatEndpoint(make_settings(tmp_path, llm_base_url=llm.base_url,
                                              llm_model=model, llm_timeout_s=2))

        ask = [HumanMessage("你好")]
        assert endpoint("echo").reply(ask) == "收到：你好"
        pieces = list(endpoint("echo").stream(ask))
        assert len(pieces) > 1 and "".join(pieces) == "收到：你好"
        with pytest.raises(EndpointError) as failed:
            endpoint("http-429").reply(ask)
    assert failed.value.reason == "endpoint http 429" and "HTTP 429" in failed.value.message
    assert [r["body"].get("stream") for r in llm.requests] == [False, True, False]
    assert all(r["body"]["max_tokens"] == r["body"]["max_completion_tokens"] == 800
               and r["body"]["temperature"] == 0 for r in llm.requests)
