"""The 事实表, 文档 and 评测 tabs of the web app, and the header line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from reportbot.errors import ReportbotError
from reportbot.facts.store import winners
from reportbot.ingest.run import IngestReport
from reportbot.web.context import WebContext
from reportbot.web.render import (
    DOC_HEADERS,
    DOC_TYPES,
    FACT_HEADERS,
    FACT_TYPES,
    document_rows,
    fact_rows,
    fact_source_html,
    inert,
    markdown_inert,
    notice_html,
)

NO_EVAL = ("尚无评测报告。运行 `reportbot eval --report {dir}` 生成后，"
           "在这里查看最新的评测结果和图表。")


def header_html(ctx: WebContext, request: gr.Request | None) -> str:
    """Title line, with who is logged in and a logout link when login is on."""
    who = ""
    name = str(getattr(request, "username", None) or "")
    if ctx.login and name:
        role = "管理员" if ctx.may_upload(name) else "员工"
        who = (f'<span class="rb-user">已登录：{inert(name, False)}（{role}）· '
               f'<a href="/logout">退出登录</a></span>')
    return ('<div class="rb-header"><h2>reportbot · 报告问答</h2><div>回答只来自已索引的报告，'
            f"每句标注出处 [n]，数字逐一与事实表核对。{who}</div></div>")


@dataclass
class FactsTab:
    """The fact table and the panel showing a selected fact in its source."""

    ctx: WebContext
    table: gr.Dataframe
    note: gr.HTML

    def view(self) -> tuple[list[list[object]], str]:
        """Current rows and a note (the table is empty until documents are indexed)."""
        rows = fact_rows(self.ctx.facts())
        if not rows:
            return rows, notice_html("事实表为空：尚未索引文档，或文档中没有抽取到数字。")
        return rows, notice_html(f"共 {len(rows)} 条事实。点击任一行，在下方查看它在原文中的位置。")

    def attach_load(self, app: gr.Blocks) -> None:
        """Refresh the table on every page load."""
        app.load(self.view, None, [self.table, self.note], api_visibility="private")


def facts_tab(ctx: WebContext) -> FactsTab:
    """Build the 事实表 tab: searchable, sortable rows; a row shows its source span."""
    gr.Markdown("报告中每个数字一行（数值为基本单位，可按列排序；右上角可搜索）。")
    note = gr.HTML(elem_id="rb-facts-note")
    table = gr.Dataframe(headers=FACT_HEADERS, datatype=FACT_TYPES, interactive=False,
                         show_search="search", wrap=True, max_height=480, elem_id="rb-facts",
                         column_widths=["6%", "12%", "18%", "9%", "10%", "6%", "10%", "15%",
                                        "8%", "6%"])
    source = gr.HTML(notice_html("点击表中的一行，这里显示该数字在原文中的位置。"),
                     elem_id="rb-fact-source")

    def show(evt: gr.SelectData) -> str:
        row = evt.row_value or []
        try:
            fact_id = int(row[0])
        except (IndexError, TypeError, ValueError):
            return notice_html("无法识别所选的行。", "error")
        fact = next((f for f in ctx.facts() if f.fact_id == fact_id), None)
        if fact is None:
            return notice_html(f"事实 #{fact_id} 已不在事实表中，请刷新页面。", "error")
        doc = ctx.pipeline.searcher.catalog.document(fact.doc_id)
        return fact_source_html(fact, doc.text if doc else "", doc.title if doc else "")

    table.select(show, None, source, api_visibility="private")
    return FactsTab(ctx, table, note)


@dataclass
class DocumentsTab:
    """Indexed documents and the upload that adds one."""

    ctx: WebContext
    table: gr.Dataframe
    upload_box: gr.Group
    upload_note: gr.HTML

    def rows(self) -> list[list[object]]:
        """One row per indexed document with its chunk and fact counts."""
        counts = Counter(f.doc_id for f in winners(self.ctx.facts()))
        docs = self.ctx.pipeline.searcher.catalog.documents()
        return document_rows([(d.doc_id, d.title, d.chunks, d.sha256) for d in docs], counts)

    def on_load(self, request: gr.Request) -> tuple[list[list[object]], Any, str]:
        """Rows, and the upload shown only to those allowed to use it."""
        allowed = self.ctx.may_upload(getattr(request, "username", None))
        note = "" if allowed else notice_html("上传新文档仅限管理员账号。")
        return self.rows(), gr.update(visible=allowed), note

    def attach_load(self, app: gr.Blocks) -> None:
        """Refresh on every page load."""
        app.load(self.on_load, None, [self.table, self.upload_box, self.upload_note],
                 api_visibility="private")


def _ingest_message(report: IngestReport, upload: Path, corpus: Path) -> tuple[str, str]:
    """A one-line result of indexing an upload, and its kind (ok, info, error); the
    server's folders are not named."""
    if report.failed:
        reasons = "；".join(r.replace(f"{upload.parent}/", "").replace(f"{corpus}/", "")
                           for r in report.failed)
        return f"未能索引：{reasons}", "error"
    if report.added or report.updated:
        verb = "已索引" if report.added else "已更新"
        return (f"{verb} {upload.name}：{report.chunks} 个分块，用时 {report.seconds:.1f} 秒。"
                "现在可以在对话中提问。"), "ok"
    return f"{upload.name} 内容未变化，无需重新索引。", "info"


def documents_tab(ctx: WebContext, facts: FactsTab) -> DocumentsTab:
    """Build the 文档 tab: the document list and (for admins) the incremental upload."""
    gr.Markdown("已索引的文档（分块数、抽取到的事实数）。")
    table = gr.Dataframe(headers=DOC_HEADERS, datatype=DOC_TYPES,
                         interactive=False, elem_id="rb-docs")
    upload_note = gr.HTML(elem_id="rb-upload-note")
    with gr.Group(elem_id="rb-upload-box") as box:
        gr.Markdown("#### 上传新文档\n支持 .txt .md .pdf .docx .html；只嵌入新增或变化的文档。")
        upload = gr.File(label="选择文件", file_count="single", elem_id="rb-upload")
        run = gr.Button("索引该文档", variant="primary", elem_id="rb-index")
    status = gr.HTML(elem_id="rb-upload-status")
    tab = DocumentsTab(ctx, table, box, upload_note)

    def index(path: str | None, request: gr.Request,
              progress: gr.Progress = gr.Progress()  # noqa: B008 (gradio injects it here)
              ) -> tuple[str, Any, Any, Any, Any]:
        user = getattr(request, "username", None)
        if not ctx.may_upload(user):
            return (notice_html("只有管理员可以上传文档。", "error"), None, gr.update(),
                    *facts.view())
        if not path:
            return notice_html("请先选择一个文件。", "error"), None, gr.update(), *facts.view()
        message, kind = _run_upload(ctx, Path(path), progress)
        return notice_html(message, kind), None, tab.rows(), *facts.view()

    run.click(index, [upload], [status, upload, table, facts.table, facts.note],
              api_visibility="private", concurrency_limit=1)
    return tab


def _run_upload(ctx: WebContext, path: Path, progress: gr.Progress) -> tuple[str, str]:
    """Copy the upload into the corpus and index it incrementally, reporting progress."""
    from reportbot.app.workflow import run_ingest

    seen = {"done": 0, "total": 0}

    def on_total(total: int) -> None:
        seen["total"] = total
        progress((0, total or None), desc="嵌入分块", unit="块")

    def step(n: int) -> None:
        seen["done"] += n
        progress((seen["done"], seen["total"] or None), desc="嵌入分块", unit="块")

    progress(0, desc=f"读取 {path.name}")
    try:
        # Read once, by the ingest: a refused copy leaves the corpus again.
        report = run_ingest(ctx.settings, [path], step, on_total, bot=ctx.bot)
    except ReportbotError as exc:
        return f"未能索引：{exc.message.replace(f'{path.parent}/', '')}", "error"
    return _ingest_message(report, path, ctx.settings.corpus_dir)


@dataclass
class EvalTab:
    """The latest eval report and its chart."""

    ctx: WebContext
    report: gr.Markdown
    chart: gr.Image

    def view(self) -> tuple[str, Any]:
        """The report (made inert) and the chart, or a note when there is no report yet."""
        folder = self.ctx.settings.eval_report_dir
        md, png = folder / "report.md", folder / "chart.png"
        if not md.is_file():
            return NO_EVAL.format(dir=folder), gr.update(value=None, visible=False)
        try:
            text = markdown_inert(md.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            return f"无法读取 {md}：{exc}", gr.update(value=None, visible=False)
        chart = str(png.resolve()) if png.is_file() else None
        return text, gr.update(value=chart, visible=chart is not None)

    def attach_load(self, app: gr.Blocks) -> None:
        """Read the report afresh on every page load."""
        app.load(self.view, None, [self.report, self.chart], api_visibility="private")


def eval_tab(ctx: WebContext) -> EvalTab:
    """Build the 评测 tab."""
    chart = gr.Image(label="评测图表", interactive=False, visible=False, elem_id="rb-eval-chart",
                     buttons=["download", "fullscreen"])
    report = gr.Markdown(elem_id="rb-eval-report")
    tab = EvalTab(ctx, report, chart)
    refresh = gr.Button("刷新", size="sm")
    refresh.click(tab.view, None, [report, chart], api_visibility="private")
    return tab
