"""CMRC 2018 (SQuAD-style JSON) as an open-retrieval benchmark: paragraphs become documents."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from reportbot.errors import ReportbotError
from reportbot.records import Hit, SourceDoc


@dataclass(frozen=True)
class CmrcQuestion:
    """One question with the paragraph that holds its answers."""

    qid: str
    question: str
    doc_id: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class CmrcFile:
    """A SQuAD-style file read leniently: its paragraphs, valid questions, and what was not."""

    docs: list[SourceDoc]
    questions: list[CmrcQuestion]
    invalid: list[str]  # one line per skipped paragraph or question, with the reason


def _text(value: object) -> str | None:
    """A non-blank string, else None."""
    return value if isinstance(value, str) and value.strip() else None


def _question(qa: object, doc_id: str) -> CmrcQuestion | str:
    """One question, or the reason it cannot be scored."""
    if not isinstance(qa, dict):
        return f"paragraph {doc_id}: a question is {type(qa).__name__}, expected an object"
    qid = str(qa.get("id", "")).strip() or f"{doc_id}/?"
    question = _text(qa.get("question"))
    if question is None:
        return f"{qid}: empty or missing question ({qa.get('question')!r})"
    raw = qa.get("answers")
    answers = tuple(dict.fromkeys(
        a["text"] for a in raw if isinstance(a, dict) and _text(a.get("text"))
    )) if isinstance(raw, list) else ()
    if not answers:
        return f"{qid}: no answer text to score against"
    return CmrcQuestion(qid, question, doc_id, answers)


def _paragraph(path: Path, title: str, para: object, out: CmrcFile) -> None:
    """Add one paragraph and its questions to ``out`` (or say why they were skipped)."""
    context = _text(para.get("context")) if isinstance(para, dict) else None
    if not isinstance(para, dict) or context is None or para.get("id") in (None, ""):
        out.invalid.append(f"{path}: paragraph without an id or context skipped")
        return
    doc_id = str(para["id"])
    sha = hashlib.sha256(context.encode()).hexdigest()
    out.docs.append(SourceDoc(doc_id, str(path), title, context, sha))
    qas = para.get("qas", [])
    for qa in qas if isinstance(qas, list) else [qas]:
        parsed = _question(qa, doc_id)
        if isinstance(parsed, str):
            out.invalid.append(parsed)
        else:
            out.questions.append(parsed)


def load_cmrc(path: Path) -> CmrcFile:
    """Paragraphs as SourceDocs (title kept as metadata), their questions, and a reason for
    every paragraph or question that cannot be used (skipped, never fatal)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise ReportbotError(f"{path}: cannot read a CMRC/SQuAD JSON file ({exc})") from exc
    articles = data.get("data") if isinstance(data, dict) else None
    out = CmrcFile([], [], [])
    for article in articles if isinstance(articles, list) else []:
        paras = article.get("paragraphs") if isinstance(article, dict) else None
        if not isinstance(paras, list):
            out.invalid.append(f"{path}: an article without a 'paragraphs' list skipped")
            continue
        title = article.get("title")
        for para in paras:
            _paragraph(path, title if isinstance(title, str) else "", para, out)
    if not out.docs:
        raise ReportbotError(f"{path}: no paragraphs found (expected SQuAD-style 'data')")
    return out


def retrieval_scores(question: CmrcQuestion, hits: list[Hit]) -> dict[str, bool]:
    """Paragraph hit@1/@5 and whether an answer lies inside the top-1 / top-3 chunks."""
    docs = [h.chunk.doc_id for h in hits]
    texts = [h.chunk.text for h in hits]
    return {
        "hit@1": question.doc_id in docs[:1],
        "hit@5": question.doc_id in docs[:5],
        "answer_in_top1": any(a in t for a in question.answers for t in texts[:1]),
        "answer_in_top3": any(a in t for a in question.answers for t in texts[:3]),
    }


def sweep_fusion(questions: list[CmrcQuestion], rankings: list[tuple[list[str], list[str]]],
                 chunks: dict[str, tuple[str, str]], weights: list[float],
                 ks: list[int]) -> list[dict[str, float]]:
    """hit@1/@5 and answer-in-top-1/3 for each (BM25 weight, RRF k), dense weight fixed at 1.

    ``rankings`` holds each question's dense and BM25 chunk-id lists (computed once);
    ``chunks`` maps chunk id -> (doc_id, text).
    """
    from reportbot.retrieval.fusion import weighted_rrf

    rows: list[dict[str, float]] = []
    for w in weights:
        for k in ks:
            totals = {"hit@1": 0.0, "hit@5": 0.0, "answer_in_top1": 0.0, "answer_in_top3": 0.0}
            for q, (dense, lexical) in zip(questions, rankings, strict=True):
                fused = [c for c, _ in weighted_rrf([dense, lexical], [1.0, w], k)]
                docs = [chunks[c][0] for c in fused]
                texts = [chunks[c][1] for c in fused]
                totals["hit@1"] += q.doc_id in docs[:1]
                totals["hit@5"] += q.doc_id in docs[:5]
                totals["answer_in_top1"] += any(a in t for a in q.answers for t in texts[:1])
                totals["answer_in_top3"] += any(a in t for a in q.answers for t in texts[:3])
            n = max(len(questions), 1)
            rows.append({"lexical_weight": w, "rrf_k": float(k),
                         **{m: v / n for m, v in totals.items()}})
    return rows
