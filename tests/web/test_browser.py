"""The web app in real headless Chromium (Debian `chromium`, playwright's sync API) and over
its API with gradio_client, each against a real `reportbot serve` subprocess.

Screenshots are written to artifacts/screenshots/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reportbot.stores.users import Users
from tests.conftest import ROOT, copy_corpus
from tests.servers import WebApp, app_env

pytestmark = pytest.mark.slow

SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
XSS_DOC = (
    "南昌服务外包安全测试说明<script>window.__xss=1</script>\n"
    '南昌服务外包测试基地<img src=x onerror="window.__xss=2">共培训测试学员77名'
    "[点击这里](javascript:alert(1))**粗体**，其余见附件。\n"
    '南昌服务外包测试基地的负责人是<b onmouseover="window.__xss=3">张测试</b>，'
    "联系方式见 ${7*7} 与 {{7*7}}。\n"
)
XSS_META = ('{"title": "<img src=x onerror=\\"window.__xss=4\\">南昌服务外包测试文档", '
            '"source": "<script>window.__xss=5</script>", "year": 2010}')
EVAL_MD = ("# 评测报告\n\n| 指标 | 值 |\n|---|---|\n| answer accuracy | 0.975 |\n\n"
           '失败案例：<img src=x onerror="window.__xss=6"> [点我](javascript:alert(6))\n')
PASSWORDS = {"alice": "alice-admin-pw", "bob": "bob-staff-pw"}


@dataclass
class Server:
    """A running `reportbot serve` and where it keeps its data."""

    url: str
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def state(self) -> Path:
        return self.root / "data-state"  # the default: beside the data directory


@contextmanager
def serve(root: Path, **env: str) -> Iterator[Server]:
    """`reportbot serve` over root/corpus and root/data (eval report in root/eval-report)."""
    app = WebApp(app_env(root, REPORTBOT_EVAL_REPORT_DIR=str(root / "eval-report"), **env),
                 root / "serve.log")
    app.start()
    try:
        yield Server(app.url, root)
    finally:
        app.stop()


def _write_eval_report(folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.md").write_text(EVAL_MD, encoding="utf-8")
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["accuracy"], [0.975])
    fig.savefig(folder / "chart.png")
    plt.close(fig)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app without login over the report plus a hostile document; an eval report exists."""
    root = tmp_path_factory.mktemp("browser")
    corpus = copy_corpus(root / "corpus")
    (corpus / "xss.txt").write_text(XSS_DOC, encoding="utf-8")
    (corpus / "xss.txt.meta.json").write_text(XSS_META, encoding="utf-8")
    _write_eval_report(root / "eval-report")
    with serve(root) as server:
        yield server


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app with login on: alice is an admin, bob is staff."""
    root = tmp_path_factory.mktemp("secured")
    copy_corpus(root / "corpus")
    users = Users(root / "users.json")
    users.add("alice", PASSWORDS["alice"], admin=True)
    users.add("bob", PASSWORDS["bob"])
    with serve(root, REPORTBOT_USERS_FILE=str(root / "users.json")) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Debian chromium is not installed (apt-get install chromium)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh zh-CN page that records every JavaScript dialog it is shown."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.dialogs = []

    def on_dialog(dialog: Any) -> None:
        pg.dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def shot(pg: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def ask(pg: Any, question: str) -> Any:
    """Type a question, press Enter, and return the finished answer bubble."""
    before = pg.locator("#rb-chat .rb-msg:not(.rb-streaming)").count()
    pg.fill("#rb-question textarea", question)
    pg.press("#rb-question textarea", "Enter")
    return last_answer(pg, before + 1)


def last_answer(pg: Any, count: int) -> Any:
    pg.wait_for_function(
        "n => document.querySelectorAll('#rb-chat .rb-msg:not(.rb-streaming)').length >= n",
        arg=count)
    return pg.locator("#rb-chat .rb-msg").last


def open_app(pg: Any, server: Server) -> None:
    pg.goto(server.url)
    pg.wait_for_selector("#rb-question textarea")


def test_example_question_answers_with_highlighted_source_and_verified_badge(
        page: Any, app: Server) -> None:
    open_app(page, app)
    page.get_by_text("江西IT人才实训基地补助了多少人？", exact=True).first.click()
    bubble = last_answer(page, 1)
    assert "188人" in bubble.inner_text() and "188家" not in bubble.inner_text()
    cite = bubble.locator("a.rb-cite").first
    assert cite.inner_text() == "[1]"
    highlight = page.locator("#rb-sources .rb-src mark").first
    assert highlight.inner_text() == "江西IT人才实训基地补助188人"
    assert "(二)解决遗留问题" in page.locator("#rb-sources .rb-src-head").first.inner_text()
    cite.click()  # a marker scrolls to (and flashes) its source instead of navigating away
    page.wait_for_selector("#rb-sources .rb-src.rb-flash")
    assert page.url == app.url and len(page.context.pages) == 1
    # LEAD: verified-badge assertion (needs Answer.numbers from the fact-table integration).
    badge = bubble.locator("details.rb-badge.rb-verified")
    assert badge.count() >= 1, "LEAD: no verified badge for 188人 — Answer.numbers empty?"
    assert "188人" in badge.first.inner_text() and "已核实" in badge.first.inner_text()
    assert "#" in (badge.first.locator("summary").get_attribute("title") or "")
    badge.first.locator("summary").click()
    assert badge.first.locator(".rb-fact mark").first.inner_text() == "188人"
    shot(page, "answer-source-verified-badge")


def test_derived_number_shows_its_formula_and_inputs(page: Any, app: Server) -> None:
    open_app(page, app)
    bubble = ask(page, "两家培训机构一共补助了多少人？")
    derived = bubble.locator("details.rb-badge.rb-derived")
    assert derived.count() == 1 and "584人" in derived.inner_text()
    derived.locator("summary").click()
    body = derived.locator(".rb-badge-body").inner_text()
    assert "396人 + 188人 = 584人" in body and "#" in body
    assert bubble.locator("details.rb-badge.rb-verified").count() == 2
    shot(page, "derived-badge")


def test_follow_up_shows_the_rewritten_question_and_clear_resets(page: Any, app: Server) -> None:
    open_app(page, app)
    first = ask(page, "IBM先锋服务外包人才实训基地补助了多少人？")
    assert "396人" in first.inner_text()
    second = ask(page, "江西IT人才实训基地呢？")
    text = second.inner_text()
    assert "188人" in text and "396人" not in text
    assert "理解为：「江西IT人才实训基地补助了多少人？」" in text
    shot(page, "follow-up-rewritten")
    page.click("#rb-clear")
    page.wait_for_function("() => !document.querySelector('#rb-chat .rb-msg')")
    ask(page, "2010年南昌接包合同执行金额是多少？")
    offshore = ask(page, "那其中离岸的部分呢？")
    assert "2.91亿美元" in offshore.inner_text() and "理解为" in offshore.inner_text()


def test_refusal_looks_like_a_refusal_with_closest_passages(page: Any, app: Server) -> None:
    open_app(page, app)
    bubble = ask(page, "南昌市2010年GDP是多少？")
    assert "rb-refusal" in (bubble.get_attribute("class") or "")
    assert "报告中未找到相关信息" in bubble.inner_text()
    assert "最接近的段落" in bubble.inner_text()
    assert bubble.locator(".rb-badge").count() == 0
    panel = page.locator("#rb-sources details.rb-turn-refusal")
    assert panel.locator(".rb-src").count() >= 1 and panel.locator("mark").count() == 0
    shot(page, "refusal-closest-passages")


def test_hostile_document_is_rendered_as_inert_text(page: Any, app: Server) -> None:
    open_app(page, app)
    bubble = ask(page, "南昌服务外包测试基地共培训了多少名测试学员？")
    assert '<img src=x onerror="window.__xss=2">' in bubble.inner_text()
    ask(page, "南昌服务外包测试基地的负责人是谁？")
    sources = page.locator("#rb-sources").inner_text()
    assert "<script>window.__xss=1</script>" in sources or "onmouseover" in sources
    page.locator("#rb-sources").hover()
    for tab in ("事实表", "文档", "评测", "对话"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(500)
    docs_text = page.locator("#rb-tab-docs").inner_text()
    assert '<img src=x onerror="window.__xss=4">南昌服务外包测试文档' in docs_text
    assert page.evaluate("() => window.__xss") is None
    assert page.dialogs == []
    active = 'img[src="x"], [onerror], [onmouseover], a[href^="javascript"]'
    assert page.locator(active).count() == 0
    assert page.evaluate("() => [...document.scripts].some(s => s.text.includes('__xss'))") is False
    shot(page, "xss-inert")


def test_feedback_with_comment_is_stored_in_sqlite(page: Any, app: Server) -> None:
    open_app(page, app)
    ask(page, "2010年南昌市新增多少家服务外包企业？")
    page.locator("#rb-chat button[aria-label='踩']").last.click()
    page.wait_for_selector("#rb-feedback-status .rb-notice-ok")
    page.fill("#rb-comment textarea", "还应给出同比增速")
    page.click("#rb-comment-save")
    page.wait_for_selector("#rb-feedback-status :text('说明已保存')")
    shot(page, "feedback-saved")
    with sqlite3.connect(app.state / "feedback.sqlite") as conn:
        rows = conn.execute(
            "SELECT f.rating, f.comment, q.question, q.answer, q.citations FROM feedback f "
            "JOIN qa q ON q.qa_id = f.qa_id WHERE q.question = ?",
            ("2010年南昌市新增多少家服务外包企业？",)).fetchall()
    assert len(rows) == 1
    rating, comment, _, answer, citations = rows[0]
    assert (rating, comment) == (-1, "还应给出同比增速")
    assert "188家" in answer and "新增服务外包企业188家" in citations


def test_fact_table_is_searchable_and_rows_show_their_source(page: Any, app: Server) -> None:
    open_app(page, app)
    page.get_by_role("tab", name="事实表").click()
    page.wait_for_selector("#rb-facts [data-testid='cell-0-0']")
    assert "条事实" in page.locator("#rb-facts-note").inner_text()
    page.fill("#rb-facts input.search-input", "27136")
    page.wait_for_function("() => document.querySelectorAll('#rb-facts .virtual-row').length == 1")
    page.locator("#rb-facts .virtual-row [role='gridcell']").nth(2).click()
    source = page.locator("#rb-fact-source")
    source.locator("mark").wait_for()
    assert source.locator("mark").inner_text() == "27136人"
    assert "新增从业人数27136人" in source.inner_text()
    shot(page, "fact-table")


def test_upload_indexes_a_new_document_and_rejects_a_bad_one(
        page: Any, app: Server, tmp_path: Path) -> None:
    open_app(page, app)
    page.get_by_role("tab", name="文档").click()
    docs = page.locator("#rb-docs .virtual-body")
    docs.get_by_text("2010-nanchang-service-outsourcing-report.txt").wait_for()
    bad, good = tmp_path / "broken.pdf", tmp_path / "nanchang-2011.txt"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    good.write_text("2011年南昌市服务外包园区新增入驻企业42家。\n", encoding="utf-8")
    status = upload(page, bad, "")
    assert status.startswith("⚠ 未能索引：broken.pdf") and str(app.root) not in status
    assert not (app.root / "corpus" / "broken.pdf").exists()
    status = upload(page, good, status)
    assert "已索引 nanchang-2011.txt" in status
    docs.get_by_text("nanchang-2011.txt").wait_for()
    assert (app.root / "corpus" / "nanchang-2011.txt").exists()
    shot(page, "documents-upload")


def test_upload_of_a_docx_zip_bomb_is_refused_in_one_read(
        page: Any, app: Server, tmp_path: Path) -> None:
    from tests.ingest.test_loading import docx_bomb

    open_app(page, app)
    page.get_by_role("tab", name="文档").click()
    page.locator("#rb-docs .virtual-body").get_by_text(
        "2010-nanchang-service-outsourcing-report.txt").wait_for()
    bomb = docx_bomb(tmp_path / "bomb.docx")  # 250 KB, 2 M paragraphs: once 92 s, 1.4 GB
    started = time.perf_counter()
    status = upload(page, bomb, "")
    seconds = time.perf_counter() - started
    print(f"\nzip bomb upload refused in the browser after {seconds:.1f} s: {status}")
    assert status.startswith("⚠ 未能索引：bomb.docx") and "zip bomb" in status
    assert str(app.root) not in status and seconds < 30
    assert not (app.root / "corpus" / "bomb.docx").exists()


def upload(pg: Any, path: Path, previous: str) -> str:
    pg.set_input_files("#rb-upload input[type=file]", str(path))
    pg.wait_for_selector("#rb-upload .file-preview")
    pg.click("#rb-index")
    pg.wait_for_function(
        "p => { const e = document.querySelector('#rb-upload-status .rb-notice');"
        " return e && e.innerText !== p; }", arg=previous, timeout=120_000)
    return str(pg.locator("#rb-upload-status .rb-notice").inner_text())


def test_eval_tab_shows_the_latest_report_and_chart(page: Any, app: Server) -> None:
    open_app(page, app)
    page.get_by_role("tab", name="评测").click()
    report = page.locator("#rb-eval-report")
    report.get_by_text("answer accuracy").wait_for()
    assert page.locator("#rb-eval-report table").count() == 1
    assert '<img src=x onerror="window.__xss=6">' in report.inner_text()
    assert page.locator("#rb-eval-chart img").count() == 1
    assert page.evaluate("() => window.__xss") is None
    shot(page, "eval-tab")


def test_chat_api_streams_plain_text_and_follows_up(app: Server) -> None:
    from gradio_client import Client

    client = Client(app.url, verbose=False)
    job = client.submit("江西IT人才实训基地补助了多少人？", api_name="/chat")
    final = job.result()
    parts = job.outputs()
    assert len(parts) > 1 and all(final.startswith(p) for p in parts)
    assert "188人" in final and "[1]" in final and "已核实" in final
    history = [{"role": "user", "content": "IBM先锋服务外包人才实训基地补助了多少人？"},
               {"role": "assistant", "content": "其中IBM先锋服务外包人才实训基地补助396人[1]。"}]
    follow = client.predict("江西IT人才实训基地呢？", history, api_name="/chat")
    assert follow.startswith("（理解为：江西IT人才实训基地补助了多少人？）") and "188人" in follow
    data = client.predict("江西IT人才实训基地补助了多少人？", api_name="/ask")
    assert data["numbers"][0]["status"] == "verified" and data["citations"][0]["n"] == 1
    assert isinstance(data["qa_id"], int)
    assert "问题为空" in client.predict("   ", api_name="/ask")["error"]
    with sqlite3.connect(app.state / "feedback.sqlite") as conn:
        channels = {r[0] for r in conn.execute("SELECT channel FROM qa")}
    assert "api" in channels


def test_login_is_required_and_uploads_are_for_admins(page: Any, secured: Server) -> None:
    page.goto(secured.url)
    page.fill("input[data-testid='textbox']", "bob")
    page.fill("input[type='password']", "wrong-password")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("凭据不正确").wait_for()
    assert page.locator("#rb-question").count() == 0
    shot(page, "login-refused")
    page.fill("input[data-testid='textbox']", "bob")
    page.fill("input[type='password']", PASSWORDS["bob"])
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("#rb-header .rb-user")
    assert "已登录：bob（员工）" in page.locator("#rb-header").inner_text()
    assert "188人" in ask(page, "江西IT人才实训基地补助了多少人？").inner_text()
    page.get_by_role("tab", name="文档").click()
    page.get_by_text("上传新文档仅限管理员账号").wait_for()
    assert not page.locator("#rb-upload-box").first.is_visible()
    shot(page, "login-staff")
    with sqlite3.connect(secured.state / "feedback.sqlite") as conn:
        assert ("bob",) in conn.execute("SELECT username FROM qa").fetchall()


def test_login_back_off_is_explained_in_the_browser(page: Any, secured: Server) -> None:
    page.goto(secured.url)
    statuses = []
    for _ in range(6):  # five free failures per account, then the account must wait
        page.fill("input[data-testid='textbox']", "mallory")
        page.fill("input[type='password']", "wrong-password")
        with page.expect_response("**/login") as response:
            page.get_by_role("button", name="登录").click()
        statuses.append(response.value.status)
    # Gradio's login form shows nothing for a 429; the page states the policy instead.
    assert statuses == [400] * 5 + [429]
    assert "多次输错密码后需等待" in page.locator("body").inner_text()
    assert page.locator("#rb-question").count() == 0
    shot(page, "login-back-off")


def test_admin_sees_the_upload(page: Any, secured: Server) -> None:
    page.goto(secured.url)
    page.fill("input[data-testid='textbox']", "alice")
    page.fill("input[type='password']", PASSWORDS["alice"])
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("#rb-header .rb-user")
    page.get_by_role("tab", name="文档").click()
    page.locator("#rb-upload-box").first.wait_for(state="visible")
    assert "已登录：alice（管理员）" in page.locator("#rb-header").inner_text()


def test_api_refuses_unauthenticated_calls_when_login_is_on(secured: Server) -> None:
    import urllib.error
    import urllib.request

    from gradio_client import Client

    with pytest.raises(Exception):  # noqa: B017 (gradio_client raises a plain error)
        Client(secured.url, verbose=False).predict("江西IT人才实训基地补助了多少人？",
                                                    api_name="/chat")
    request = urllib.request.Request(f"{secured.url}gradio_api/call/chat", method="POST",
                                     data=b'{"data": ["hi"]}',
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401
    client = Client(secured.url, auth=("alice", PASSWORDS["alice"]), verbose=False)
    assert "188人" in client.predict("江西IT人才实训基地补助了多少人？", api_name="/chat")
    with sqlite3.connect(secured.state / "feedback.sqlite") as conn:
        assert ("alice", "api") in conn.execute("SELECT username, channel FROM qa").fetchall()
