"""Eval cases (pure apart from reading the file): the JSONL dataset, validated line by line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportbot.errors import ReportbotError
from reportbot.evaluation.amounts import normalize_quantity

TYPES = ("lookup", "derived", "entity", "date", "unanswerable", "followup", "english", "trap")
CASE_KEYS = frozenset({"id", "type", "question", "history", "numbers", "must_include",
                       "evidence", "answerable"})
# Optional keys of datasets over several documents (eval/multidoc.jsonl): the split the case's
# document belongs to, that document, what the question asks, and how it is written.
OPTIONAL_KEYS = frozenset({"split", "doc", "intent", "variant"})
SPLITS = ("dev", "test")
INTENTS = ("lookup", "list", "compare", "yes_no", "share", "ratio", "difference", "prior_year",
           "when", "who", "which", "where", "how", "why", "out_of_scope")
VARIANTS = ("traditional", "english")
DEFAULT_TOLERANCE = 0.001  # relative


@dataclass(frozen=True)
class Expected:
    """A number the answer must state, in base units (元, 美元, %, 家, 人 ...)."""

    value: float
    unit: str
    tolerance: float = DEFAULT_TOLERANCE


@dataclass(frozen=True)
class Case:
    """One eval question with what a correct, cited answer must contain."""

    id: str
    type: str
    question: str
    history: tuple[tuple[str, str], ...]
    numbers: tuple[Expected, ...]
    must_include: tuple[str, ...]
    evidence: tuple[str, ...]
    answerable: bool
    split: str | None = None
    doc: str | None = None
    intent: str | None = None
    variant: str | None = None


def _require(ok: object, message: str) -> None:
    if not ok:
        raise ValueError(message)


def _strings(value: object, name: str) -> tuple[str, ...]:
    _require(isinstance(value, list) and all(isinstance(s, str) and s for s in value),
             f"{name} must be a list of non-empty strings, got {value!r}")
    return tuple(value)  # type: ignore[arg-type]


def _expected(item: object) -> Expected:
    _require(isinstance(item, dict) and {"value", "unit"} <= set(item)
             and set(item) <= {"value", "unit", "tolerance"},
             f"each number must be {{'value', 'unit', 'tolerance'?}}, got {item!r}")
    assert isinstance(item, dict)
    value, unit, tol = item["value"], item["unit"], item.get("tolerance", DEFAULT_TOLERANCE)
    _require(isinstance(value, int | float) and not isinstance(value, bool),
             f"number value must be numeric, got {value!r}")
    _require(isinstance(tol, int | float) and not isinstance(tol, bool) and tol >= 0,
             f"tolerance must be a relative tolerance >= 0, got {tol!r}")
    base = normalize_quantity(float(value), unit) if isinstance(unit, str) and unit else None
    _require(base is not None, f"unit must be a non-date unit such as 元 or 人, got {unit!r}")
    assert base is not None
    return Expected(base[0], base[1], float(tol))


def _history(value: object) -> tuple[tuple[str, str], ...]:
    _require(isinstance(value, list), f"history must be a list, got {value!r}")
    assert isinstance(value, list)
    turns = []
    for turn in value:
        _require(isinstance(turn, dict) and set(turn) == {"question", "answer"}
                 and all(isinstance(v, str) for v in turn.values()),
                 f"each history turn must be {{'question', 'answer'}} strings, got {turn!r}")
        turns.append((turn["question"], turn["answer"]))
    return tuple(turns)


def _choice(obj: dict[str, object], key: str, allowed: tuple[str, ...]) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    _require(isinstance(value, str) and value in allowed,
             f"{key} must be one of {', '.join(allowed)} (or absent), got {value!r}")
    return str(value)


def _optional(obj: dict[str, object]) -> dict[str, str | None]:
    """The optional keys of a multi-document case, validated (absent ones are None)."""
    doc = obj.get("doc")
    _require(doc is None or (isinstance(doc, str) and doc.strip()),
             f"doc must be a document file name or null, got {doc!r}")
    intent = _choice(obj, "intent", INTENTS)
    _require(intent != "out_of_scope" or obj["answerable"] is False,
             "intent 'out_of_scope' needs answerable: false")
    return {"split": _choice(obj, "split", SPLITS), "doc": None if doc is None else str(doc),
            "intent": intent, "variant": _choice(obj, "variant", VARIANTS)}


def parse_case(obj: object) -> Case:
    """Validate one decoded JSON object as a Case; ValueError says what is wrong."""
    _require(isinstance(obj, dict), f"expected a JSON object, got {type(obj).__name__}")
    assert isinstance(obj, dict)
    missing = sorted(CASE_KEYS - set(obj))
    extra = sorted(set(obj) - CASE_KEYS - OPTIONAL_KEYS)
    _require(not missing and not extra, f"keys must be exactly {sorted(CASE_KEYS)}, plus "
             f"optionally {sorted(OPTIONAL_KEYS)} (missing {missing}, unexpected {extra})")
    _require(isinstance(obj["id"], str) and obj["id"].strip(), "id must be a non-empty string")
    _require(obj["type"] in TYPES, f"type must be one of {', '.join(TYPES)}, got {obj['type']!r}")
    _require(isinstance(obj["question"], str) and obj["question"].strip(),
             "question must be a non-empty string")
    _require(isinstance(obj["answerable"], bool), "answerable must be true or false")
    _require(isinstance(obj["numbers"], list), f"numbers must be a list, got {obj['numbers']!r}")
    case = Case(obj["id"], obj["type"], obj["question"], _history(obj["history"]),
                tuple(_expected(n) for n in obj["numbers"]),
                _strings(obj["must_include"], "must_include"),
                _strings(obj["evidence"], "evidence"), obj["answerable"], **_optional(obj))
    if case.answerable:
        _require(case.numbers or case.must_include, "an answerable case needs numbers or "
                 "must_include (otherwise any non-refusal would pass)")
        _require(case.evidence, "an answerable case needs at least one evidence string")
    else:
        _require(not case.numbers, "an unanswerable case must have numbers == []")
    _require(case.type != "unanswerable" or not case.answerable,
             "type 'unanswerable' needs answerable: false")
    _require(case.type != "followup" or case.history, "a followup case needs history turns")
    return case


def read_cases(path: Path) -> tuple[list[Case], list[str]]:
    """The valid cases of a JSONL eval dataset and one ``file:line: reason`` per invalid one."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportbotError(f"{path}: cannot read the eval dataset ({exc})") from exc
    cases: list[Case] = []
    problems: list[str] = []
    seen: set[str] = set()
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            case = parse_case(json.loads(line))
        except (ValueError, TypeError, ArithmeticError, RecursionError) as exc:
            # JSONDecodeError is a ValueError; a huge number overflows; deep nesting recurses
            problems.append(f"{path}:{lineno}: {exc}")
            continue
        if case.id in seen:
            problems.append(f"{path}:{lineno}: duplicate id {case.id!r}")
            continue
        seen.add(case.id)
        cases.append(case)
    return cases, problems


def load_cases(path: Path) -> list[Case]:
    """Read a JSONL eval dataset; every problem is reported with its file and line."""
    cases, problems = read_cases(path)
    if problems:
        raise ReportbotError("invalid eval dataset; fix these lines:\n" + "\n".join(problems))
    if not cases:
        raise ReportbotError(f"{path}: no cases (expected one JSON object per line)")
    return cases


def select_cases(cases: Sequence[Case], types: Iterable[str] = (),
                 limit: int | None = None, split: str | None = None) -> list[Case]:
    """Cases of the given types (all when none given) and split, the first ``limit``."""
    wanted = set(types)
    chosen = [c for c in cases if (not wanted or c.type in wanted)
              and (split is None or c.split == split)]
    return chosen[:limit] if limit else chosen


def stale_evidence(cases: Sequence[Case], docs: Mapping[str, str]) -> dict[str, list[str]]:
    """Case id -> one line per evidence string of that case found in no document."""
    stale: dict[str, list[str]] = {}
    for c in cases:
        for e in c.evidence:
            if not any(e in text for text in docs.values()):
                stale.setdefault(c.id, []).append(f"{c.id}: evidence not in any document: {e!r}")
    return stale


def check_evidence(cases: Sequence[Case], docs: Mapping[str, str]) -> list[str]:
    """One line per evidence string found in no document (the dataset is stale)."""
    return [line for lines in stale_evidence(cases, docs).values() for line in lines]
