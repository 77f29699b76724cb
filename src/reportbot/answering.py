"""Pure extractive answering: question analysis, clause scoring, answer spans, refusal.

No generative model: an answer is made of exact clauses of the retrieved passages, so every
word of it can be cited. Written by hand because no library composes cited Chinese
clause-level extractive answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .chunking import Span, split_sentences
from .lexical import tokenize
from .records import Hit

REFUSAL = "报告中未找到相关信息"
REFUSAL_EN = "The report does not contain this information."

# Words that ask rather than say: they never count as evidence.
_STOP = set(
    "的 了 是 在 有 和 与 及 或 吗 呢 吧 啊 呀 么 请问 多少 几 几个 什么 哪些 哪个 哪 哪里 哪儿 谁 "
    "怎么 怎样 如何 为什么 为何 是否 有没有 其中 报告 一下 告诉 我 我们 你 一共 共 总共 分别 "
    "多 少 情况 方面 具体 相关 主要 数量 数 请 对 为 被 把 从 到 给 这 那 那么 这个 那个 该 "
    "what how many much which who when where why is are was were the a an of in on to for "
    "did do does by with and or report according please tell me".split()
)
_CLAUSE = re.compile(r"[，,；;：:]")
_QUANTITY = re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿)?\s*(美元|元|人|名|家|个|项|%|％)")
_RATE_LEAD = re.compile(r"^(同比|比上年|较上年|增长|增幅|上升|下降)")
_UNIT_WORDS: tuple[tuple[str, str], ...] = (
    ("多少人", "人"), ("几人", "人"), ("多少名", "人"), ("人数", "人"), ("多少位", "人"),
    ("多少家", "家"), ("几家", "家"), ("多少个", "个"), ("几个", "个"), ("多少项", "项"),
    ("百分之", "%"), ("增长率", "%"), ("增幅", "%"), ("比例", "%"), ("占比", "%"),
    ("增长了多少", "%"), ("多少钱", "元"), ("金额", "元"), ("资金", "元"), ("万元", "元"),
    ("美元", "美元"), ("how many people", "人"), ("how many trainees", "人"),
    ("how many students", "人"), ("how many employees", "人"), ("how many workers", "人"),
    ("how many companies", "家"), ("how many firms", "家"), ("how many enterprises", "家"),
    ("percent", "%"), ("growth rate", "%"), ("dollars", "美元"), ("yuan", "元"),
    ("how much money", "元"), ("how many", "个"),
)
_ASKS_QUANTITY = re.compile(r"多少|几[个家人项名位次批期]?|how many|how much|金额|数目|人数|比例|"
                            r"占比|增长率|增幅|总计|合计", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """A scored span of a retrieved chunk (absolute offsets in its document)."""

    hit_index: int
    span: Span
    coverage: float
    score: float


def is_english(question: str) -> bool:
    """True when the question is mostly Latin letters rather than Chinese characters."""
    latin = len(re.findall(r"[A-Za-z]", question))
    cjk = len(re.findall(r"[\u3400-\u9fff]", question))
    return latin > 2 * cjk


def question_terms(question: str) -> list[str]:
    """Content tokens of a question: no question words, no single Chinese characters."""
    terms: list[str] = []
    for token in tokenize(question):
        if token in _STOP or (len(token) == 1 and not token.isdigit()):
            continue
        if token not in terms:
            terms.append(token)
    return terms


def wanted_unit(question: str) -> str | None:
    """The unit a quantity question asks for (人 vs 家 matters), if it says."""
    q = question.lower()
    for words, unit in _UNIT_WORDS:
        if words in q:
            return unit
    return None


def asks_quantity(question: str) -> bool:
    """Does the question ask for a number?"""
    return bool(_ASKS_QUANTITY.search(question))


def coverage(terms: Sequence[str], text: str, weight: Callable[[str], float]) -> float:
    """Weighted share of the terms that occur in text (substring match, case-insensitive)."""
    total = sum(weight(t) for t in terms)
    if total <= 0:
        return 0.0
    low = text.lower()
    return sum(weight(t) for t in terms if t in low) / total


def clause_spans(text: str, span: Span) -> list[Span]:
    """Clauses of a sentence, split after ，,；;：: (the enumeration comma 、 does not split)."""
    out: list[Span] = []
    pos = span.start
    for match in _CLAUSE.finditer(text, span.start, span.end):
        if match.end() > pos:
            out.append(Span(pos, match.end()))
        pos = match.end()
    if span.end > pos:
        out.append(Span(pos, span.end))
    return [s for s in out if text[s.start : s.end].strip()]


def _unit_fit(clause: str, unit: str | None, quantity: bool) -> float:
    if not quantity:
        return 0.0
    units = [m.group(1).replace("％", "%").replace("名", "人") for m in _QUANTITY.finditer(clause)]
    if not units:
        return -0.4
    if unit is None or unit == "个":
        return 0.3
    return 0.5 if unit in units else -0.3


# English question words -> the Chinese words the report would use. Hand-written because no
# offline translation model ships on PyPI; it only has to bridge question to evidence.
GLOSSARY: dict[str, tuple[str, ...]] = {
    "nanchang": ("南昌",), "jiangxi": ("江西",), "ibm": ("ibm",), "neusoft": ("东软",),
    "hitachi": ("日立",), "hp": ("惠普",), "hewlett": ("惠普",), "red hat": ("红帽",),
    "microsoft": ("微软",), "tsinghua": ("清华",), "dalian": ("大连",), "hangzhou": ("杭州",),
    "nanjing": ("南京",), "company": ("企业",), "companies": ("企业",), "firms": ("企业",),
    "firm": ("企业",), "enterprises": ("企业",), "enterprise": ("企业",), "new": ("新增",),
    "employees": ("从业人数",), "employment": ("从业人数",), "jobs": ("从业人数",),
    "workers": ("从业人数",), "contract": ("合同",), "contracts": ("合同",),
    "offshore": ("离岸",), "executed": ("执行",), "execution": ("执行",), "value": ("金额",),
    "amount": ("金额",), "subsidy": ("补助", "补贴"), "subsidies": ("补助", "补贴"),
    "subsidised": ("补助",), "subsidized": ("补助",), "trainees": ("学员",),
    "students": ("学员",), "training": ("培训", "实训"), "base": ("基地",),
    "policy": ("政策",), "policies": ("政策",), "funds": ("资金",), "funding": ("资金",),
    "fund": ("资金",), "certifications": ("认证",), "certification": ("认证",),
    "international": ("国际",), "growth": ("增长",), "grow": ("增长",), "grew": ("增长",),
    "increase": ("增长",), "outsourcing": ("外包",), "service": ("服务",),
    "agreements": ("协议",), "agreement": ("协议",), "data": ("数据",), "center": ("中心",),
    "centre": ("中心",), "expo": ("博览会",), "fair": ("博览会", "交易会"),
    "government": ("政府",), "municipal": ("市级",), "district": ("县",), "county": ("县",),
    "finance": ("财政",), "fiscal": ("财政",), "national": ("国家",), "ministry": ("部",),
    "commerce": ("商务",), "vice": ("副",), "mayor": ("市长",), "minister": ("部长",),
    "survey": ("调研",), "research": ("调研", "研究"), "team": ("组",),
    "cloud": ("云计算",), "standard": ("标准",), "per": ("每",), "person": ("人",),
    "people": ("人",), "allocated": ("拨付",), "paid": ("兑现", "拨付"),
    "advanced": ("先进",), "technology": ("技术",), "recognized": ("认定",),
    "recognised": ("认定",), "platform": ("平台",), "public": ("公共",),
    "institutions": ("机构",), "institution": ("机构",), "talent": ("人才",),
}


def search_terms(question: str) -> list[str]:
    """Content terms, with English words bridged to the report's Chinese words."""
    if not is_english(question):
        return question_terms(question)
    low = question.lower()
    terms: list[str] = []
    for word, chinese in GLOSSARY.items():
        if re.search(rf"\b{re.escape(word)}\b", low):
            terms.extend(t for t in chinese if t not in terms)
    terms.extend(t for t in re.findall(r"\d+(?:\.\d+)?", question) if t not in terms)
    return terms


@dataclass(frozen=True)
class Extract:
    """The chosen answer spans (absolute, per hit) and how well the evidence covers the question."""

    refused: bool
    spans: tuple[tuple[int, Span], ...]
    support: float


def _sentences(hits: Sequence[Hit]) -> list[tuple[int, Span, str]]:
    """(hit index, absolute sentence span, sentence text), each sentence once."""
    seen: set[tuple[str, int]] = set()
    out: list[tuple[int, Span, str]] = []
    for i, hit in enumerate(hits):
        c = hit.chunk
        for s in split_sentences(c.text):
            key = (c.doc_id, c.start + s.start)
            if key not in seen:
                seen.add(key)
                out.append((i, Span(c.start + s.start, c.start + s.end), c.text[s.start : s.end]))
    return out


def best_evidence(question: str, hits: Sequence[Hit], weight: Callable[[str], float],
                  terms: Sequence[str] | None = None) -> list[Evidence]:
    """Every clause of the retrieved sentences, scored against the question, best first."""
    terms = list(terms) if terms is not None else search_terms(question)
    unit = wanted_unit(question)
    quantity = asks_quantity(question)
    scored: list[Evidence] = []
    for i, sent, text in _sentences(hits):
        chunk = hits[i].chunk
        context = f"{chunk.title} {chunk.section} {chunk.text}"
        sent_cov = coverage(terms, f"{chunk.section} {text}", weight)
        support = max(sent_cov, coverage(terms, context, weight) * 0.9)
        for clause in clause_spans(text, Span(0, len(text))):
            ctext = text[clause.start : clause.end]
            score = (coverage(terms, ctext, weight) + 0.6 * sent_cov + 0.2 * support
                     + _unit_fit(ctext, unit, quantity) + 0.15 / (1 + i))
            absolute = Span(sent.start + clause.start, sent.start + clause.end)
            scored.append(Evidence(i, absolute, support, score))
    scored.sort(key=lambda e: (-e.score, e.hit_index, e.span.start))
    return scored


def extract_answer(question: str, hits: Sequence[Hit], weight: Callable[[str], float],
                   min_support: float = 0.6) -> Extract:
    """The best clause window, or a refusal when no passage covers the question well enough."""
    terms = search_terms(question)
    evidence = best_evidence(question, hits, weight, terms)
    if not evidence or not terms:
        return Extract(True, (), 0.0)
    best = evidence[0]
    if best.coverage < min_support:
        return Extract(True, (), best.coverage)
    if asks_quantity(question) and not _QUANTITY.search(_text_of(hits, best)):
        return Extract(True, (), best.coverage)
    return Extract(False, ((best.hit_index, _grow(question, terms, hits, best, weight)),),
                   best.coverage)


def _text_of(hits: Sequence[Hit], ev: Evidence) -> str:
    c = hits[ev.hit_index].chunk
    return c.text[ev.span.start - c.start : ev.span.end - c.start]


def _grow(question: str, terms: Sequence[str], hits: Sequence[Hit], best: Evidence,
          weight: Callable[[str], float]) -> Span:
    """Extend the best clause over neighbours of its sentence that add what the question asks."""
    c = hits[best.hit_index].chunk
    sentence = next(s for s in split_sentences(c.text)
                    if c.start + s.start <= best.span.start < c.start + s.end)
    clauses = [Span(c.start + s.start, c.start + s.end)
               for s in clause_spans(c.text, sentence)]
    k = next(i for i, s in enumerate(clauses) if s.start <= best.span.start < s.end)
    first, last = k, k

    def text(i: int) -> str:
        return c.text[clauses[i].start - c.start : clauses[i].end - c.start]

    def covered(lo: int, hi: int) -> float:
        return coverage(terms, "".join(text(j) for j in range(lo, hi + 1)), weight)

    if first > 0 and covered(first - 1, last) > covered(first, last) + 1e-9 \
            and not _QUANTITY.search(text(first - 1)):
        first -= 1
    while last + 1 < len(clauses) and last - first < 3:
        nxt = text(last + 1)
        if _RATE_LEAD.match(nxt) or covered(first, last + 1) > covered(first, last) + 0.05:
            last += 1
        else:
            break
    return Span(clauses[first].start, clauses[last].end)
