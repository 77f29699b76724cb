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


def load_cmrc(path: Path) -> tuple[list[SourceDoc], list[CmrcQuestion]]:
    """Paragraphs as SourceDocs (title kept as metadata) and their questions."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportbotError(f"{path}: cannot read a CMRC/SQuAD JSON file ({exc})") from exc
    docs: list[SourceDoc] = []
    questions: list[CmrcQuestion] = []
    for article in data.get("data", []):
        for para in article.get("paragraphs", []):
            doc_id = str(para["id"])
            text = para["context"]
            sha = hashlib.sha256(text.encode()).hexdigest()
            docs.append(SourceDoc(doc_id, str(path), article.get("title", ""), text, sha))
            for qa in para.get("qas", []):
                answers = tuple(dict.fromkeys(a["text"] for a in qa.get("answers", [])))
                questions.append(CmrcQuestion(str(qa["id"]), qa["question"], doc_id, answers))
    if not docs:
        raise ReportbotError(f"{path}: no paragraphs found (expected SQuAD-style 'data')")
    return docs, questions


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
    from reportbot.retrieval.hybrid import weighted_rrf

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
