"""The web chat with the site's LLM server configured, in real headless Chromium against a
real `reportbot serve` subprocess; the server is the scripted OpenAI-compatible one on
loopback, streaming its replies as server-sent events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import copy_corpus
from tests.llm_server import FAILURES, ScriptedLLM, by_question, citing, scripted_llm
from tests.web import test_browser as chat
from tests.web.test_browser import Server, ask, open_app, serve, shot

browser, page = chat.browser, chat.page  # the headless chromium fixtures, shared

pytestmark = pytest.mark.slow

TRAINEES = "江西IT人才实训基地补助了多少人？"
IBM = "IBM先锋服务外包人才实训基地补助了多少人？"


# Right for one question, a wrong figure for another, a failing server for the rest.
ROUTER = by_question({"江西IT": citing("江西IT人才实训基地补助了188人[{n}]。", "基地补助188人"),
                      "IBM先锋": citing("IBM先锋服务外包人才实训基地补助了369人[{n}]。",
                                        "补助396人")},
                     otherwise=FAILURES["http-500"])


@pytest.fixture(scope="module")
def llm() -> Iterator[ScriptedLLM]:
    with scripted_llm({"router": ROUTER}, chunk_delay=0.3) as server:
        yield server


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, llm: ScriptedLLM) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("browser-llm")
    copy_corpus(root / "corpus")
    with serve(root, REPORTBOT_LLM_BASE_URL=llm.base_url, REPORTBOT_LLM_MODEL="router",
               REPORTBOT_LLM_TIMEOUT_S="5") as server:
        yield server


def test_the_draft_streams_in_marked_unverified_then_the_verified_answer_replaces_it(
        page: Any, app: Server, llm: ScriptedLLM) -> None:
    open_app(page, app)
    page.fill("#rb-question textarea", TRAINEES)
    page.press("#rb-question textarea", "Enter")
    draft = page.locator("#rb-chat .rb-draft")
    draft.wait_for()
    assert "未核实" in draft.inner_text()
    shot(page, "llm-draft-unverified")
    page.wait_for_function(
        "() => document.querySelectorAll('#rb-chat .rb-msg:not(.rb-streaming)').length >= 1")
    bubble = page.locator("#rb-chat .rb-msg").last
    assert page.locator("#rb-chat .rb-draft").count() == 0
    assert "江西IT人才实训基地补助了188人[1]" in bubble.inner_text()
    assert "已逐句核对" in bubble.locator(".rb-composer-llm").inner_text()
    assert bubble.locator("details.rb-badge.rb-verified").count() == 1
    assert page.locator("#rb-sources .rb-src mark").first.inner_text() == \
        "江西IT人才实训基地补助188人"
    assert llm.requests[-1]["body"]["stream"] is True
    shot(page, "llm-answer-verified")


def test_a_rejected_reply_shows_the_extractive_answer_and_why(
        page: Any, app: Server) -> None:
    open_app(page, app)
    bubble = ask(page, IBM)
    text = bubble.locator(".rb-text").inner_text()
    assert "396人" in text and "369人" not in text
    note = bubble.locator(".rb-llm-rejected").inner_text()
    assert "数字与报告不符" in note and "369人" in note and "摘录式回答" in note
    assert page.locator("#rb-llm-banner .rb-notice").count() == 0
    shot(page, "llm-rejected-number")


def test_a_failing_server_is_told_once_in_a_banner(page: Any, app: Server) -> None:
    open_app(page, app)
    first = ask(page, "2010年南昌市新增多少家服务外包企业？")
    assert "188家" in first.inner_text() and first.locator(".rb-composer").count() == 0
    banner = page.locator("#rb-llm-banner .rb-notice")
    banner.wait_for()
    assert "大模型服务暂不可用" in banner.inner_text() and "500" in banner.inner_text()
    second = ask(page, "离岸接包执行金额是多少？")
    assert second.locator(".rb-composer").count() == 0
    assert page.locator("#rb-llm-banner .rb-notice").count() == 1
    assert "Traceback" not in page.locator("body").inner_text()
    shot(page, "llm-endpoint-banner")
    back = ask(page, TRAINEES)  # the server answers again: the banner goes
    assert back.locator(".rb-composer-llm").count() == 1
    page.wait_for_function("() => !document.querySelector('#rb-llm-banner .rb-notice')")


def test_the_eval_tab_shows_both_composers_side_by_side(
        page: Any, app: Server, llm: ScriptedLLM, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from reportbot.cli.main import main

    for key, value in {"REPORTBOT_CORPUS_DIR": app.root / "corpus",
                       "REPORTBOT_DATA_DIR": app.root / "data",
                       "REPORTBOT_LLM_BASE_URL": llm.base_url,
                       "REPORTBOT_LLM_MODEL": "router"}.items():
        monkeypatch.setenv(key, str(value))
    result = CliRunner().invoke(main, ["eval", "--composer", "llm", "--type", "trap",
                                       "--limit", "3", "--report",
                                       str(app.root / "eval-report")])
    assert result.exit_code == 0, result.output
    open_app(page, app)
    page.get_by_role("tab", name="评测").click()
    report = page.locator("#rb-eval-report")
    report.get_by_text("Composers side by side").wait_for()
    table = report.locator("table").first
    assert table.locator("th").all_inner_texts() == ["metric", "extractive", "llm"]
    rows = table.inner_text()
    assert "answer accuracy" in rows and "LLM answers shown" in rows and "rejected:" in rows
    shot(page, "llm-eval-side-by-side")
