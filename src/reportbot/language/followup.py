"""Pure follow-up rewriting: an elliptical question plus history -> a standalone question.

Hand-written rules (no generative model ships offline): "X呢？" after a question about a
parallel entity swaps the entity; other elliptical follow-ups are joined to the previous
question so retrieval sees both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportbot.language.asking import follow_up_leads, pattern

_LEADS = follow_up_leads()
_REFERS = pattern("refers_back")
_ELLIPTICAL_END = pattern("elliptical_end")
_QMARKS = "？?。.！! "


@dataclass(frozen=True)
class Rewrite:
    """The standalone question and the words the follow-up itself added (to weigh higher)."""

    question: str
    focus: str


def _core(question: str) -> str:
    core = question.strip().rstrip(_QMARKS)
    low = core.lower()
    for lead in _LEADS:
        if low.startswith(lead):
            core = core[len(lead):].strip()
            low = core.lower()
    return re.sub(r"(的呢|呢)$", "", core).strip("，, ")


def is_elliptical(question: str) -> bool:
    """Does the question lean on the previous one (那…/其中…/…呢/what about…)?"""
    q = question.strip().rstrip(_QMARKS).lower()
    return (q.startswith(_LEADS) or bool(_ELLIPTICAL_END.search(q)) or len(q) <= 8
            or bool(_REFERS.search(q)))


def _swap_entity(previous: str, entity: str) -> str | None:
    """Replace the entity in previous that shares entity's last 2+ characters."""
    for size in range(min(len(entity), 8), 1, -1):
        tail = entity[-size:]
        at = previous.find(tail)
        if at < 0 or previous.find(entity) >= 0:
            continue
        end = at + size
        # The parallel entity starts after the last boundary word before its tail.
        head = previous[:at]
        cut = max((head.rfind(w) + len(w) for w in ("年", "市", "的", "，", ",", "、", "和")
                   if head.rfind(w) >= 0), default=0)
        return previous[:cut] + entity + previous[end:]
    return None


def _swap_measure(previous: str, measure: str, entities: Sequence[str]) -> str | None:
    """净利润呢 after 特斯拉第二季度营收多少: the measure the question before asked replaced
    by the one named now (特斯拉第二季度净利润多少), of the same subject and time; None when
    a place or a name is named now (北京呢 asks the same measure of another subject)."""
    from reportbot.language.terms import metric_phrases, named_places

    own = _POINTER.sub("", measure)
    if named_places(own) or own in entities:
        return None
    low = previous.lower()
    for phrase in metric_phrases(previous):
        at = low.find(phrase)
        if at >= 0 and own and phrase != own.lower():
            return previous[:at] + own + previous[at + len(phrase):]
    return None


# 它的规上工业增加值: the words pointing back at the subject before the measure named
_POINTER = re.compile(r"^(?:它的|它|其(?![他余中])|该|这个|那个)")


_OTHER = re.compile(r"(?:另一|另外一|另)(?:家|个|所|位|方)[\u4e00-\u9fff]{0,6}?(?=呢|[，,？?]|$)")


def _named(text: str, entity: str) -> bool:
    """Is the entity named in text, in full or by its first 4+ characters (IBM先锋…)?"""
    return entity in text or entity[:4] in text


def _the_other(question: str, previous: str, entities: Sequence[str]) -> str | None:
    """另一家培训机构呢: the one entity of the same kind (same last 2–4 characters) as the
    entity the previous question named."""
    m = _OTHER.search(question)
    if m is None:
        return None
    named = [e for e in entities if _named(previous, e)]
    for entity in named:
        for size in (4, 3, 2):
            kin = [e for e in entities if e != entity and e.endswith(entity[-size:])]
            if len(kin) == 1:
                rest = question[m.end():].lstrip("呢，, ")
                if not rest.strip(_QMARKS + "？"):
                    rest = _previous_tail(previous, entity)
                return kin[0] + rest
    return None


def _previous_tail(previous: str, entity: str) -> str:
    """What the previous question asked about the entity (…补助了多少学员？)."""
    for size in range(len(entity), 3, -1):
        at = previous.find(entity[:size])
        if at >= 0:
            return previous[at + size :]
    return previous


def rewrite(question: str, history: Sequence[Mapping[str, str]],
            entities: Sequence[str] = ()) -> Rewrite:
    """Standalone form of ``question`` given earlier turns ({'question', 'answer'});
    ``entities`` are the names the corpus knows (for 另一家…)."""
    q = question.strip()
    if not history or not is_elliptical(q):
        return Rewrite(q, "")
    previous = str(history[-1].get("question", "")).strip()
    if not previous:
        return Rewrite(q, "")
    other = _the_other(q, previous, entities)
    if other:
        return Rewrite(other, other.split("，")[0].rstrip(_QMARKS))
    core = _core(q)
    if not core:
        return Rewrite(previous, "")
    other_of = q.rstrip(_QMARKS).endswith("呢")  # X呢: the question before, of X
    swapped = _swap_entity(previous, core) if other_of else None
    if swapped:
        return Rewrite(swapped, core)
    # 其中X呢 asks a part of the measure before (其中离岸的部分), not another measure
    measure = _swap_measure(previous, core, entities) if other_of and "其中" not in q \
        else None
    if measure:  # a question standing alone: its subject and time are asked as before
        return Rewrite(measure, "")
    if previous.isascii():
        return Rewrite(f"{previous.rstrip(_QMARKS)}, {core}?", core)
    return Rewrite(f"{previous.rstrip(_QMARKS)}，{core}？", core)


def recent_turns(history: Sequence[Mapping[str, str]], max_turns: int,
                 max_chars: int) -> list[dict[str, str]]:
    """The newest turns that fit both limits (older ones are dropped first); a turn whose
    question and answer alone exceed ``max_chars`` ends the kept history."""
    kept: list[dict[str, str]] = []
    total = 0
    for turn in reversed(history[-max_turns:]):
        question, answer = str(turn.get("question") or ""), str(turn.get("answer") or "")
        total += len(question) + len(answer)
        if total > max_chars:
            break
        kept.append({"question": question, "answer": answer})
    return kept[::-1]


def refers_back(text: str) -> bool:
    """Does the text lean on the question before it (它, 这个数, 其余…) for its subject?"""
    return _REFERS.search(text.strip()) is not None


def in_context(previous: str, core: str) -> str:
    """A follow-up's own question with the times and places of the question before it
    (6月上海…总负债余额是多少 + 其中大型商业银行的负债余额 -> 6月上海大型商业银行的负债余额):
    what the fact table is asked, so the earlier question's figure is not the answer."""
    from reportbot.language.quantities import TIME_KINDS, parse_quantities
    from reportbot.language.terms import named_places

    times = [q.text for q in parse_quantities(previous) if q.kind in TIME_KINDS]
    places = [p for p in named_places(previous) if p not in core]
    lead = "".join(dict.fromkeys(t for t in [*times, *places] if t not in core))
    return f"{lead}{core}" if lead else core

