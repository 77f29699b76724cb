"""Pure HTML rendering for the web chat: answers, sources, number badges, tables.

Every piece of document or user text goes through ``inert``: HTML-escaped and with
Markdown/LaTeX punctuation turned into character references, so a document holding
``<script>``, ``<img onerror=…>`` or ``[x](javascript:…)`` shows those characters as text
whether the result lands in an HTML panel or in the chatbot's Markdown renderer. Output
never contains a newline (a blank line would end the HTML block inside Markdown).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from reportbot.answering.generative import endpoint_failure, reason_label
from reportbot.language.vocabulary import words
from reportbot.records import Answer, Citation, Fact, NumberCheck

REFUSAL_MARK = "报告中未找到相关信息"
_MARKER = re.compile(r"\[(\d+)\]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_ENTITIES.update({ch: f"&#{ord(ch)};" for ch in "[]()*_`~#!|$\\{}:"})
_INERT = str.maketrans({**_ENTITIES, "\r": ""})
STATUS = {
    "verified": ("✓", "已核实", "报告事实表中有这个数字"),
    "derived": ("∑", "推算", "由报告中的数字计算得出"),
    "mismatch": ("✗", "与报告不符", "与报告中对应的数字不一致，请以原文为准"),
    "unverified": ("⚠", "未核实", "事实表中没有这个数字，请对照原文核实"),
}


def inert(text: str, breaks: bool = True) -> str:
    """Text made safe for HTML and Markdown; newlines become <br> (or spaces)."""
    return text.translate(_INERT).replace("\n", "<br>" if breaks else " ")


def marked(text: str, start: int, end: int) -> str:
    """``text`` with ``text[start:end]`` wrapped in <mark>, all of it inert."""
    if not 0 <= start <= end <= len(text) or start == end:
        return inert(text)
    return (inert(text[:start]) + '<mark class="rb-hl">' + inert(text[start:end]) + "</mark>"
            + inert(text[end:]))


def snippet(text: str, start: int, end: int, width: int = 40) -> str:
    """The span in its paragraph (at most ``width`` characters each side), span marked."""
    para_lo = text.rfind("\n", 0, start) + 1
    para_hi = text.find("\n", end)
    para_hi = len(text) if para_hi < 0 else para_hi
    lo, hi = max(para_lo, start - width), min(para_hi, end + width)
    head = "…" if lo > 0 else ""
    tail = "…" if hi < len(text) else ""
    return head + marked(text[lo:hi], start - lo, end - lo) + tail


def source_anchor(turn: int, n: int) -> str:
    """The element id of source ``n`` of answer ``turn`` in the sources panel."""
    return f"rb-src-{turn}-{n}"


def _where(c: Citation) -> str:
    section = c.section or "—"
    return f"{inert(c.title, False)} · {inert(section, False)} · 字符 {c.start}–{c.end}"


def linked_answer(text: str, citations: Sequence[Citation], turn: int) -> str:
    """Answer text with each known [n] marker linked to its source; unknown markers stay text."""
    by_n = {c.n: c for c in citations}
    out: list[str] = []
    pos = 0
    for m in _MARKER.finditer(text):
        out.append(inert(text[pos:m.start()]))
        c = by_n.get(int(m.group(1)))
        if c is None:
            out.append(inert(m.group(0)))
        else:
            out.append(f'<a class="rb-cite" href="#{source_anchor(turn, c.n)}" '
                       f'title="{_where(c)}">[{c.n}]</a>')
        pos = m.end()
    out.append(inert(text[pos:]))
    return "".join(out)


def _fact_line(f: Fact, texts: Mapping[str, str]) -> str:
    """One fact for a badge body: its id, what it measures, and its span in context."""
    doc = texts.get(f.doc_id, "")
    span = snippet(doc, f.start, f.end) if doc[f.start:f.end] == f.text else inert(f.text)
    label = " · ".join(inert(p, False) for p in (f.subject, f.metric, f.period) if p)
    return (f'<div class="rb-fact">#{f.fact_id}（{label}）：「{span}」'
            f'<span class="rb-loc">{inert(f.doc_id, False)} 字符 {f.start}–{f.end}</span></div>')


def _badge_tip(check: NumberCheck, facts: Mapping[int, Fact]) -> str:
    """Plain tooltip text for a badge (escaped when placed in the title attribute)."""
    tip = STATUS.get(check.status, STATUS["unverified"])[2]
    known = [facts[i] for i in check.fact_ids if i in facts]
    if check.status == "derived" and check.formula:
        tip += f"：{check.formula}"
    elif known:
        tip += "：" + "；".join(
            f"#{f.fact_id} {' · '.join(p for p in (f.subject, f.metric, f.period) if p)}"
            f"「{f.text}」字符 {f.start}–{f.end}" for f in known)
    return tip


def badge(check: NumberCheck, facts: Mapping[int, Fact], texts: Mapping[str, str]) -> str:
    """One number badge: status at a glance, hover for a summary, expand for facts and spans."""
    status = check.status if check.status in STATUS else "unverified"
    icon, label, _ = STATUS[status]
    body: list[str] = []
    if status == "derived" and check.formula:
        body.append(f'<div class="rb-formula">算式：{inert(check.formula)}</div>')
    known = [facts[i] for i in check.fact_ids if i in facts]
    if known:
        head = {"derived": "输入（事实表）", "mismatch": "报告原文"}.get(status, "依据（事实表）")
        body.append(f'<div class="rb-facts-head">{head}：</div>')
        body.extend(_fact_line(f, texts) for f in known)
    elif status in ("unverified", "mismatch"):
        body.append(f'<div class="rb-warn">{STATUS[status][2]}。</div>')
    return (f'<details class="rb-badge rb-{status}"><summary title="'
            f'{inert(_badge_tip(check, facts), False)}">{icon} {inert(check.text, False)} · '
            f'{label}</summary><div class="rb-badge-body">{"".join(body)}</div></details>')


def unique_numbers(numbers: Iterable[NumberCheck]) -> list[NumberCheck]:
    """Each checked number once (an answer may repeat a figure, e.g. in its formula)."""
    seen: set[tuple[str, str, tuple[int, ...], str]] = set()
    out: list[NumberCheck] = []
    for n in numbers:
        key = (n.text, n.status, n.fact_ids, n.formula)
        if key not in seen:
            seen.add(key)
            out.append(n)
    return out


def numbers_html(numbers: Sequence[NumberCheck], facts: Mapping[int, Fact],
                 texts: Mapping[str, str]) -> str:
    """The badge row of an answer ('' when it states no number)."""
    if not numbers:
        return ""
    badges = "".join(badge(n, facts, texts) for n in unique_numbers(numbers))
    return f'<div class="rb-numbers"><span class="rb-label">数字核对：</span>{badges}</div>'


def _source_list(citations: Sequence[Citation], turn: int, label: str) -> str:
    items = "".join(f'<li><a class="rb-srclink" href="#{source_anchor(turn, c.n)}">[{c.n}]</a> '
                    f"{_where(c)}</li>" for c in citations)
    return f'<div class="rb-srclist"><span class="rb-label">{label}</span><ol>{items}</ol></div>'


def rewrite_html(answer: Answer) -> str:
    """'理解为：…' when a follow-up was rewritten into a standalone question."""
    standalone = answer.standalone_question
    if not standalone or standalone == answer.question:
        return ""
    return f'<div class="rb-rewrite">↻ 理解为：「{inert(standalone)}」</div>'


def answer_html(answer: Answer, turn: int, facts: Mapping[int, Fact] | None = None,
                texts: Mapping[str, str] | None = None) -> str:
    """The chat bubble of one answer: rewrite note, linked answer, badges, source list."""
    facts, texts = facts or {}, texts or {}
    parts = [rewrite_html(answer), composer_html(answer)]
    if answer.refused:
        parts.append(f'<div class="rb-text">⚠ {inert(answer.answer)}</div>')
        if answer.closest:
            parts.append(_source_list(answer.closest, turn, "最接近的段落（仅供参考，不是答案）："))
        kind = "rb-refusal"
    else:
        parts.append(short_html(answer))
        parts.append(f'<div class="rb-text">{linked_answer(answer.answer, answer.citations, turn)}'
                     "</div>")
        parts.append(numbers_html(answer.numbers, facts, texts))
        if answer.citations:
            parts.append(_source_list(answer.citations, turn, "来源："))
        kind = "rb-answer"
    return f'<div class="rb-msg {kind}" data-turn="{turn}">{"".join(parts)}</div>'


def short_html(answer: Answer) -> str:
    """The short answer (the figure, name, date, 是/否 or the items asked for) shown first;
    empty when there is none or it would only repeat the answer."""
    short = answer.short_answer
    if not short:
        return ""
    text = "、".join(short) if isinstance(short, tuple) else short
    if text.strip("。") == answer.answer.strip("。"):
        return ""
    return f'<div class="rb-short"><span class="rb-short-label">简答</span>{inert(text)}</div>'


def error_html(message: str) -> str:
    """A clean error bubble (never a traceback)."""
    return f'<div class="rb-msg rb-error"><div class="rb-text">⚠ {inert(message)}</div></div>'


def composer_html(answer: Answer) -> str:
    """Who wrote the answer: the verified LLM, or the extractive composer standing in for a
    generated answer that failed a check (server failures go to the banner instead)."""
    if answer.composer == "llm":
        return ('<div class="rb-composer rb-composer-llm">✓ 本站大模型撰写 · 出处与数字已逐句核对'
                "</div>")
    if answer.llm_rejected and not endpoint_failure(answer.llm_rejected):
        return ('<div class="rb-composer rb-llm-rejected">ⓘ 大模型回答未采用：'
                f"{inert(reason_label(answer.llm_rejected))}。以下为摘录式回答。</div>")
    return ""


def draft_html(text: str) -> str:
    """The LLM's reply while it streams in: marked as an unverified draft."""
    return ('<div class="rb-msg rb-streaming rb-draft"><div class="rb-draft-label">'
            "草稿 · 未核实（核对出处与数字后替换）</div>"
            f'<div class="rb-text">{inert(text)}▍</div></div>')


def llm_banner_html(reason: str | None) -> str:
    """The one banner of a chat whose LLM server failed ('' while it works)."""
    if not reason:
        return ""
    return notice_html(f"本站大模型服务暂不可用：{reason_label(reason)}。回答改用摘录方式，"
                       "出处与数字照常核对。", "error")


def streaming_html(prefix: str) -> str:
    """The bubble while the answer streams in: plain inert text."""
    return f'<div class="rb-msg rb-streaming"><div class="rb-text">{inert(prefix)}▍</div></div>'


def passage_html(c: Citation, turn: int, highlight: bool = True) -> str:
    """One source: where it is, and its passage with the cited span marked."""
    if c.passage and c.passage_start >= 0:
        text, lo, hi = c.passage, c.start - c.passage_start, c.end - c.passage_start
        if not (0 <= lo <= hi <= len(text) and text[lo:hi] == c.text):
            text, lo, hi = c.text, 0, len(c.text)
    else:
        text, lo, hi = c.text, 0, len(c.text)
    body = marked(text, lo, hi) if highlight else inert(text)
    return (f'<div class="rb-src" id="{source_anchor(turn, c.n)}"><div class="rb-src-head">'
            f'<span class="rb-src-n">[{c.n}]</span> {_where(c)}</div>'
            f'<blockquote class="rb-passage">{body}</blockquote></div>')


def sources_html(answer: Answer, turn: int) -> str:
    """The sources of one answer for the side panel (closest passages for a refusal)."""
    if answer.refused:
        head = f"第 {turn} 问 · 未找到答案，最接近的段落"
        items = "".join(passage_html(c, turn, highlight=False) for c in answer.closest)
        kind = "rb-turn rb-turn-refusal"
    else:
        head = f"第 {turn} 问 · 来源"
        items = "".join(passage_html(c, turn) for c in answer.citations)
        kind = "rb-turn"
    if not items:
        items = '<div class="rb-empty">（没有可显示的段落）</div>'
    return (f'<details class="{kind}"><summary>{head}：{inert(answer.question, False)}'
            f"</summary>{items}</details>")


def sources_panel(sections: Sequence[str]) -> str:
    """The side panel: the newest answer's sources first and open, older ones folded."""
    if not sections:
        return '<div class="rb-sources rb-empty">提问后，这里显示每个回答引用的原文段落。</div>'
    newest = sections[-1].replace("<details ", "<details open ", 1)
    return f'<div class="rb-sources">{newest}{"".join(reversed(sections[:-1]))}</div>'


def answer_text(answer: Answer) -> str:
    """The plain-text form returned by the /chat API (escape it for your own medium)."""
    lines: list[str] = []
    if answer.standalone_question and answer.standalone_question != answer.question:
        lines.append(f"（理解为：{answer.standalone_question}）")
    if answer.llm_rejected:
        lines.append(f"（大模型回答未采用：{reason_label(answer.llm_rejected)}；以下为摘录式回答）")
    lines.append(answer.answer)
    if answer.numbers:
        lines.append("数字核对：" + "；".join(
            f"{n.text} {STATUS.get(n.status, STATUS['unverified'])[1]}"
            + (f"（{n.formula}）" if n.formula else "") for n in unique_numbers(answer.numbers)))
    sources = answer.citations or answer.closest
    if sources:
        lines.append("来源：" if answer.citations else "最接近的段落：")
        lines.extend(f"[{c.n}] {c.title} · {c.section or '—'} · 字符 {c.start}–{c.end}"
                     f"「{c.text}」" for c in sources)
    return "\n".join(lines)


def stream_prefixes(text: str, pieces: int = 8) -> list[str]:
    """Growing prefixes of ``text`` for streaming it in ``pieces`` steps (last is whole)."""
    step = max(1, -(-len(text) // max(1, pieces)))
    return [text[:i] for i in range(step, len(text), step)] + [text]


def markdown_inert(md: str) -> str:
    """Markdown we generated (eval report) with any HTML, link or image in it made text."""
    table = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "&#91;", "]": "&#93;"})
    return md.translate(table)


def facts_by_id(facts: Iterable[Fact]) -> dict[int, Fact]:
    """Facts keyed by fact_id."""
    return {f.fact_id: f for f in facts}


FACT_HEADERS = list(words("web", "fact_headers"))
Cell = Literal["str", "number"]
FACT_TYPES: list[Cell] = ["number", "str", "str", "str", "number", "str", "str", "str", "str",
                          "str"]
DOC_HEADERS = list(words("web", "doc_headers"))
DOC_TYPES: list[Cell] = ["str", "str", "number", "number", "str"]


def fact_rows(facts: Iterable[Fact]) -> list[list[object]]:
    """Rows of the 事实表 tab (values in base units so the column sorts numerically)."""
    return [[f.fact_id, f.subject, f.metric, f.period, f.value, f.unit, f.text, f.doc_id,
             f"{f.start}–{f.end}", "人工" if f.origin == "curated" else "抽取"]
            for f in facts if f.overridden_by is None]


def fact_source_html(fact: Fact, text: str, title: str = "") -> str:
    """A fact's span marked inside its paragraph, with where it is."""
    lo = text.rfind("\n", 0, fact.start) + 1
    hi = text.find("\n", fact.end)
    hi = len(text) if hi < 0 else hi
    label = " · ".join(inert(p, False) for p in (fact.subject, fact.metric, fact.period) if p)
    if text[fact.start:fact.end] == fact.text:
        body = marked(text[lo:hi], fact.start - lo, fact.end - lo)
    else:
        body = inert(fact.text)
    return (f'<div class="rb-src rb-fact-src"><div class="rb-src-head">事实 #{fact.fact_id}'
            f"（{label}）· {inert(title or fact.doc_id, False)} · 字符 {fact.start}–{fact.end}"
            f'</div><blockquote class="rb-passage">{body}</blockquote></div>')


def document_rows(docs: Iterable[tuple[str, str, int, str]],
                  fact_counts: Mapping[str, int]) -> list[list[object]]:
    """Rows of the 文档 tab from (doc_id, title, chunks, sha256)."""
    return [[doc_id, title, chunks, fact_counts.get(doc_id, 0), sha[:12]]
            for doc_id, title, chunks, sha in docs]


def notice_html(message: str, kind: str = "info") -> str:
    """A status line (info, ok, error) with inert text."""
    icon = {"ok": "✓", "error": "⚠"}.get(kind, "ⓘ")
    return f'<div class="rb-notice rb-notice-{kind}">{icon} {inert(message)}</div>'
