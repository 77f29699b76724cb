"""The web chat (Gradio): streamed, cited answers with number badges, sources and feedback.

``build_app() -> gr.Blocks``; ``launch()`` serves it (127.0.0.1 by default, login when the
users file has accounts). The stable API is ``/chat`` (message, messages-format history ->
streamed plain text) and ``/ask`` (question, history -> the ``ask --json`` object).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from typing import Any

import gradio as gr

from reportbot.answering.generative import endpoint_failure
from reportbot.app.service import Reportbot
from reportbot.config import Settings
from reportbot.errors import QuestionError, ReportbotError
from reportbot.language.vocabulary import corpus_examples
from reportbot.records import Answer
from reportbot.stores.feedback import FeedbackStore
from reportbot.stores.users import Users
from reportbot.web.context import WebContext
from reportbot.web.render import (
    answer_text,
    draft_html,
    error_html,
    inert,
    llm_banner_html,
    notice_html,
    sources_panel,
    stream_prefixes,
    streaming_html,
)
from reportbot.web.style import CSS, HEAD

log = logging.getLogger(__name__)
STREAM_DELAY = 0.03  # seconds between streamed pieces of an answer
ChatOut = tuple[str, list[dict[str, Any]], dict[str, Any], str, str]
INTERNAL = "内部错误，已记录日志，请稍后再试。(Internal error; it has been logged.)"


def new_state() -> dict[str, Any]:
    """Per-session chat state: turns for follow-ups, message index -> qa_id, panel sections."""
    return {"turns": [], "qa": {}, "sections": [], "feedback_id": None, "llm_down": None}


HISTORY_SHAPE = ("history: expected a list of messages {'role': 'user'|'assistant', "
                 "'content': text} or of turns {'question': text, 'answer': text}")


def history_turns(history: object, max_turns: int) -> list[dict[str, str]]:
    """Messages-format history (or {'question','answer'} turns) -> turns for the pipeline;
    anything else is a QuestionError saying what was expected and what came. Only the
    newest messages that can hold ``max_turns`` turns are looked at: older ones are dropped."""
    if history is None:
        return []
    if not isinstance(history, list):
        raise QuestionError(f"{HISTORY_SHAPE}; got {type(history).__name__}. "
                            f"Send [] or null for a new question.")
    turns: list[dict[str, str]] = []
    newest = history[-2 * max_turns:]
    for i, msg in enumerate(newest, start=len(history) - len(newest)):
        if not isinstance(msg, dict):
            raise QuestionError(f"{HISTORY_SHAPE}; item {i} is {type(msg).__name__}")
        if "question" in msg:
            question, answer = msg["question"], msg.get("answer", "")
            if not isinstance(question, str) or not isinstance(answer, str | None):
                raise QuestionError(f"{HISTORY_SHAPE}; item {i} has a question or answer "
                                    f"that is not text")
            turns.append({"question": question, "answer": answer or ""})
            continue
        role, content = msg.get("role"), msg.get("content")
        if role not in ("user", "assistant"):
            raise QuestionError(f"{HISTORY_SHAPE}; item {i} has role {role!r}")
        text = content if isinstance(content, str) else ""  # files and components: no text
        if role == "user":
            turns.append({"question": text, "answer": ""})
        elif turns:
            turns[-1]["answer"] = text
    return turns


def _user(request: gr.Request | None) -> str:
    return str(getattr(request, "username", None) or "")


def make_respond(ctx: WebContext) -> Any:
    """The chat handler: echo the question, answer, stream it in, then show sources. With
    an LLM server the draft streams in marked unverified and is replaced by the checked
    answer; a failing server is told once, in the banner above the chat."""

    def respond(message: str, chat: list[dict[str, Any]], state: dict[str, Any],
                request: gr.Request) -> Iterator[ChatOut]:
        text = (message or "").strip()
        banner = llm_banner_html(state.get("llm_down"))
        if not text:
            yield "", chat, state, sources_panel(state["sections"]), banner
            return
        chat = [*chat, {"role": "user", "content": f'<div class="rb-q">{inert(text)}</div>'},
                {"role": "assistant", "content": streaming_html("")}]
        panel = sources_panel(state["sections"])
        yield "", chat, state, panel, banner
        turns = ctx.pipeline.recent(state["turns"])
        drafted = False
        try:
            for item in ctx.pipeline.stream(text, turns):
                if isinstance(item, Answer):
                    answer = item
                    continue
                drafted = True
                chat[-1] = {"role": "assistant", "content": draft_html(item)}
                yield "", chat, state, panel, banner
        except ReportbotError as exc:
            chat[-1] = {"role": "assistant", "content": error_html(exc.message)}
            yield "", chat, state, panel, banner
            return
        except Exception:  # a bug must not leave the chat hanging; the log has the details
            log.exception("answering %r failed", text)
            failed = error_html(INTERNAL)
            chat[-1] = {"role": "assistant", "content": failed}
            yield "", chat, state, panel, banner
            return
        qa_id = ctx.feedback.record(answer, turns, _user(request), "web")
        for prefix in ([] if drafted else stream_prefixes(answer.answer)):
            chat[-1] = {"role": "assistant", "content": streaming_html(prefix)}
            yield "", chat, state, panel, banner
            time.sleep(STREAM_DELAY)
        turn = len(state["sections"]) + 1
        bubble, section = ctx.render(answer, turn)
        chat[-1] = {"role": "assistant", "content": bubble}
        state = {**state, "turns": [*turns, {"question": text, "answer": answer.answer}],
                 "qa": {**state["qa"], len(chat) - 1: qa_id},
                 "sections": [*state["sections"], section], "llm_down": _llm_down(state, answer)}
        yield "", chat, state, sources_panel(state["sections"]), llm_banner_html(state["llm_down"])

    return respond


def _llm_down(state: dict[str, Any], answer: Answer) -> str | None:
    """The server failure the banner shows: set by a failed call, cleared by an LLM answer."""
    if answer.composer == "llm":
        return None
    return answer.llm_rejected if endpoint_failure(answer.llm_rejected) else state.get("llm_down")


def make_feedback(ctx: WebContext) -> tuple[Any, Any]:
    """Handlers for 👍/👎 on an answer and for the optional comment."""

    def on_like(state: dict[str, Any], data: gr.LikeData,
                request: gr.Request) -> tuple[dict[str, Any], str, Any]:
        index = data.index if isinstance(data.index, int) else data.index[0]
        qa_id = state["qa"].get(index)
        if qa_id is None:
            return state, notice_html("这条消息不是回答，无法评价。", "error"), gr.update()
        if data.liked is None or data.liked == "":
            ctx.feedback.unrate(qa_id, _user(request))
            return {**state, "feedback_id": None}, notice_html("已撤回评价。"), gr.update()
        liked = data.liked is True or data.liked == "Like"
        feedback_id = ctx.feedback.rate(qa_id, liked, _user(request))
        verdict = "「赞」" if liked else "「踩」"
        note = f"已记录{verdict}（反馈 #{feedback_id}）。可在下方补充说明。"
        return ({**state, "feedback_id": feedback_id}, notice_html(note, "ok"),
                gr.update(interactive=True))

    def on_comment(comment: str, state: dict[str, Any]) -> tuple[str, str]:
        feedback_id = state.get("feedback_id")
        if feedback_id is None:
            return comment, notice_html("请先点「赞」或「踩」评价一个回答，再补充说明。", "error")
        if not comment.strip():
            return comment, notice_html("说明为空，未保存。", "error")
        try:
            ctx.feedback.comment(int(feedback_id), comment)
        except ReportbotError as exc:
            return comment, notice_html(exc.message, "error")
        return "", notice_html(f"说明已保存（反馈 #{feedback_id}），谢谢！", "ok")

    return on_like, on_comment


def _feedback_box() -> tuple[gr.HTML, gr.Textbox, gr.Button]:
    """The feedback status line and the optional comment box."""
    with gr.Group():
        status = gr.HTML(notice_html("点回答下方的「赞」或「踩」评价回答，可再补充说明。"),
                         elem_id="rb-feedback-status")
        with gr.Row():
            comment = gr.Textbox(label="补充说明（可选）", scale=5, interactive=False,
                                 elem_id="rb-comment", max_lines=3)
            save = gr.Button("提交说明", scale=1, elem_id="rb-comment-save")
    return status, comment, save


def _chat_tab(ctx: WebContext) -> None:
    """The 对话 tab: chat, examples, clear, feedback, and the sources panel."""
    state = gr.State(new_state())
    banner = gr.HTML("", elem_id="rb-llm-banner")
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label="对话", elem_id="rb-chat", height=560,
                                 latex_delimiters=[], sanitize_html=True,
                                 buttons=["copy", "copy_all"],
                                 placeholder="问一个关于报告的问题，回答会标注出处并核对数字。")
            with gr.Row():
                msg = gr.Textbox(show_label=False, placeholder="输入问题，按回车发送……",
                                 scale=5, elem_id="rb-question", max_lines=4)
                send = gr.Button("发送", variant="primary", scale=1, elem_id="rb-send")
            questions = corpus_examples(ctx.settings.corpus_dir)
            examples = gr.Examples([[q] for q in questions], inputs=[msg],
                                   label="示例问题（点击即问）",
                                   api_visibility="private") if questions else None
            clear = gr.Button("清空对话", elem_id="rb-clear", size="sm")
            status, comment, save = _feedback_box()
        with gr.Column(scale=2):
            gr.Markdown("### 来源与原文")
            sources = gr.HTML(sources_panel([]), elem_id="rb-sources")
    respond = make_respond(ctx)
    chat_io: dict[str, Any] = {"inputs": [msg, chatbot, state],
                               "outputs": [msg, chatbot, state, sources, banner],
                               "api_visibility": "private", "show_progress": "minimal"}
    msg.submit(respond, api_name="ui_submit", **chat_io)
    send.click(respond, api_name="ui_send", **chat_io)
    if examples is not None:
        examples.load_input_event.then(respond, api_name="ui_example", **chat_io)
    on_like, on_comment = make_feedback(ctx)
    chatbot.like(on_like, [state], [state, status, comment], api_visibility="private")
    save.click(on_comment, [comment, state], [comment, status], api_visibility="private")
    clear.click(lambda: ([], new_state(), sources_panel([]), ""), None,
                [chatbot, state, sources, comment], api_visibility="private", queue=False)
    chatbot.clear(lambda: (new_state(), sources_panel([]), ""), None, [state, sources, comment],
                  api_visibility="private", queue=False)


def make_api(ctx: WebContext) -> tuple[Any, Any]:
    """The public API functions: /chat (streamed text) and /ask (JSON)."""

    def answered(question: object, history: object) -> tuple[Answer, list[dict[str, str]]]:
        """Input checked at the boundary (QuestionError), then the answer and the turns used."""
        turns = ctx.pipeline.recent(history_turns(history, ctx.settings.max_history_turns))
        return ctx.pipeline.answer(question, turns), turns  # type: ignore[arg-type]

    def chat(message: str, history: list[dict[str, Any]] | None = None,
             request: gr.Request | None = None) -> Iterator[str]:
        """Answer a question (messages-format history for follow-ups); streams plain text."""
        try:
            answer, turns = answered(message, history)
        except ReportbotError as exc:
            yield f"⚠ {exc.message}"
            return
        except Exception:  # a bug must not reach the client as a bare AppError
            log.exception("/chat failed for %r", message)
            yield f"⚠ {INTERNAL}"
            return
        ctx.feedback.record(answer, turns, _user(request), "api")
        text = answer_text(answer)
        for prefix in stream_prefixes(text):
            yield prefix
            time.sleep(STREAM_DELAY)

    def ask(question: str, history: list[dict[str, Any]] | None = None,
            request: gr.Request | None = None) -> dict[str, Any]:
        """Answer a question; returns the `ask --json` object (error: {'error': message})."""
        try:
            answer, turns = answered(question, history)
        except ReportbotError as exc:
            return {"error": exc.message}
        except Exception:  # a bug must not reach the client as a bare AppError
            log.exception("/ask failed for %r", question)
            return {"error": INTERNAL}
        qa_id = ctx.feedback.record(answer, turns, _user(request), "api")
        return {**answer.to_json(), "qa_id": qa_id}

    return chat, ask


def build_app(bot: Reportbot, feedback: FeedbackStore | None = None,
              users: Users | None = None) -> gr.Blocks:
    """The web app: 对话, 事实表, 文档 and 评测 tabs plus the /chat and /ask API."""
    from reportbot.web.tabs import documents_tab, eval_tab, facts_tab, header_html

    ctx = WebContext(bot, bot.pipeline(), feedback or FeedbackStore(bot.settings.feedback_path),
                     users)
    with gr.Blocks(title="reportbot 报告问答") as app:
        header = gr.HTML(header_html(ctx, None), elem_id="rb-header")
        with gr.Tabs():
            with gr.Tab("对话", id="chat", elem_id="rb-tab-chat"):
                _chat_tab(ctx)
            with gr.Tab("事实表", id="facts", elem_id="rb-tab-facts"):
                facts = facts_tab(ctx)
            with gr.Tab("文档", id="docs", elem_id="rb-tab-docs"):
                docs = documents_tab(ctx, facts)
            with gr.Tab("评测", id="eval", elem_id="rb-tab-eval"):
                evaluation = eval_tab(ctx)
        chat, ask = make_api(ctx)
        gr.api(chat, api_name="chat")
        gr.api(ask, api_name="ask")

        def on_load(request: gr.Request) -> str:
            return header_html(ctx, request)

        app.load(on_load, None, [header], api_visibility="private")
        facts.attach_load(app)
        docs.attach_load(app)
        evaluation.attach_load(app)
    # Uploads above the limit get HTTP 413 while streaming in (launch() sets it again).
    app.max_file_size = max_upload_bytes(bot.settings)
    return app


def max_upload_bytes(settings: Settings) -> int:
    """The largest file the web app accepts, in bytes."""
    return settings.max_file_mb * 2**20


def launch(settings: Settings, host: str, port: int) -> None:
    """Open the index (ingesting if empty) and serve the app; login when accounts exist."""
    from starlette.middleware import Middleware

    from reportbot.app.workflow import open_service
    from reportbot.web.login import LoginGate, LoginGuard

    users = Users(settings.users_path)
    guard = LoginGuard(users, settings)
    app = build_app(open_service(settings), FeedbackStore(settings.feedback_path), users)
    state = (f"on ({settings.users_path})" if users.enabled() else
             "off (no accounts; `reportbot users add` turns it on, no restart needed)")
    print(f"reportbot web: http://{host}:{port}/  login {state}", file=sys.stderr)
    # auth is always given (LoginGate switches it off while no account exists), so Gradio
    # never starts the static-file workers it only runs for apps without login.
    app.queue(default_concurrency_limit=4).launch(
        server_name=host, server_port=port, show_error=False, css=CSS, head=HEAD,
        auth=guard.auth, app_kwargs={"middleware": [Middleware(LoginGate, guard=guard)]},
        auth_message="reportbot 报告问答：请用员工账号登录。多次输错密码后需等待几秒到几分钟"
                     "才能再试，其间点「登录」没有反应。", footer_links=["api"],
        max_file_size=max_upload_bytes(settings),
        allowed_paths=[str(settings.eval_report_dir.resolve())])
