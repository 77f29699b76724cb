"""CMRC 2018 (SQuAD-style JSON) as an open-retrieval benchmark: paragraphs become documents."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import ReportbotError
from .records import Hit, SourceDoc


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
