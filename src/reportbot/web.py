"""The web chat (Gradio): answers with their citations. build_app() -> gr.Blocks."""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from .chain import Pipeline
from .config import Settings
from .errors import ReportbotError
from .records import Answer

EXAMPLES = [
    "2010年南昌市新增多少家服务外包企业？",
    "江西IT人才实训基地补助了多少人？",
    "2010年南昌接包合同执行金额是多少？",
]


def render_answer(answer: Answer) -> str:
    """Answer plus its sources as Markdown-safe HTML (document text is always escaped)."""
    lines = [html.escape(answer.answer)]
    sources = answer.citations or answer.closest
    if sources:
        label = "来源" if answer.citations else "最接近的段落"
        lines.append(f"\n\n**{label}**")
        for c in sources:
            lines.append(f"\n\n[{c.n}] {html.escape(c.title)} · {html.escape(c.section or '—')}"
                         f" · 字符 {c.start}–{c.end}<br>「{html.escape(c.text)}」")
    return "".join(lines)


def build_app(pipeline: Pipeline) -> gr.Blocks:
    """The chat page."""

    def respond(message: str, history: list[dict[str, Any]]) -> str:
        turns = _turns(history)
        try:
            return render_answer(pipeline.answer(message, turns))
        except ReportbotError as exc:
            return f"⚠️ {html.escape(exc.message)}"

    with gr.Blocks(title="reportbot 报告问答") as app:
        gr.Markdown("## reportbot 报告问答\n回答只来自已索引的报告，每句都标注出处。")
        gr.ChatInterface(respond, examples=EXAMPLES, api_name="chat")
    return app


def _turns(history: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Gradio messages history -> [{'question', 'answer'}] turns."""
    turns: list[dict[str, str]] = []
    for msg in history:
        content = msg.get("content")
        text = content if isinstance(content, str) else ""
        if msg.get("role") == "user":
            turns.append({"question": text, "answer": ""})
        elif turns:
            turns[-1]["answer"] = text
    return turns


def launch(settings: Settings, host: str, port: int) -> None:
    """Open the index (ingesting if empty) and serve the chat."""
    from .workflow import open_pipeline

    app = build_app(open_pipeline(settings))
    app.queue(default_concurrency_limit=4).launch(server_name=host, server_port=port,
                                                   show_error=False)
