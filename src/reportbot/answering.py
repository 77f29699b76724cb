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
from .records import Chunk, Hit

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
_ORDINAL = re.compile(r"第[一二三四五六七八九十百\d]")
_WORD = re.compile(r"[0-9a-z\u3400-\u9fff]")
_CLAUSE = re.compile(r"[，,；;：:]")
_QUANTITY = re.compile(r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*(?:万|亿)?\s*"
                       r"(美元|元|人|名|家|个|项|次|批|期|份|位|%|％)")
_ASSERTED = re.compile(r"[\d,，.]+\s*(?:万|亿)?\s*(美元|元|人|名|家|个|项|次|%|％)")
_RANK = re.compile(r"第\s*[\d一二三四五六七八九十百]+\s*[位名届批期次]|\d+\s*强")
_ASKS_RANK = re.compile(r"第几|排名|排第|名次|\bwhich (?:edition|rank)|\branked?\b", re.I)
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


# Everyday words staff use for the report's words. Hand-written: no offline Chinese synonym
# resource ships on PyPI, and the list only needs the domain's common paraphrases.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "公司": ("企业", "集团"), "企业": ("公司",), "人员": ("人数", "学员", "人才"),
    "员工": ("人数",), "补贴": ("补助", "资金"), "补助": ("补贴",), "钱": ("资金", "金额", "元"),
    "经费": ("资金",), "拨款": ("拨付",), "上一年": ("同比",), "去年": ("同比",),
    "上年": ("同比",), "增速": ("增长",), "增幅": ("增长",), "涨": ("增长",), "份": ("个",),
    "百强": ("100强", "100 强"), "名次": ("第",), "举办": ("举行",), "召开": ("举行",),
    "县区": ("县(区)", "县区"), "省里": ("省",), "市里": ("市",), "总额": ("总计", "共"),
    "合计": ("总计", "共"), "数量": ("个", "家"), "出台": ("出台", "发布"), "文件": ("细则",),
    "外包": ("外包",), "计划": ("拟", "计划"), "预计": ("拟", "预计"), "城市": ("市",), "培训班": ("培训",), "培训机构": ("培训机构", "人才机构"),
}
_GENERIC = set("名字 名称 情况 方面 内容 问题 时候 时间 哪天 几天 日期 情形 报告 文中 提到 "
               "哪个 哪家 哪位 哪里 哪些 单位 部门 全年 当天 那天 之后 随后 以后 当时 期间 "
               "分别 主要 具体 一共 总共 大约 大概 左右 约 多大 多高 多长 怎样 评价 什么 方 "
               "业务 部分 机构 一级 总额 比例 比重 百分点 百分 百分之 月份 工作 数量 家数 人数 "
               "数字 数额 金额数 那场 这场 这次 那次 当年 今年 本年 上一年 去年 上年 同期".split())
# Question words glued to a counter or noun by the tokenizer (几家, 哪几天, 第几名, 是不是).
_ASKING = re.compile(r"几|哪|多少|什么|是不是|是否|吗|呢|谁")
# Words that turn one quantity into another (a stock, a plan, a target): never optional.
_MODIFIERS = set("累计 截至 总数 总量 目标 预计 预期 计划 规划 存量 余额 利润 收入 营业收入 "
                 "工资 薪酬 平均工资".split())
_NOT_SALIENT_POS = ("v", "a", "d", "p", "c", "u", "r", "q", "y", "e", "o", "f", "x", "z")


def present(term: str, window: str) -> bool:
    """Is the term, a word staff use for it, or (for a compound) each of its parts there?"""
    if term in window or any(s in window for s in SYNONYMS.get(term, ())):
        return True
    if len(term) < 3 or re.search(r"\d", term):
        return False
    parts = [p for p in tokenize(term) if len(p) >= 2 and p != term]
    covered = set()
    for p in parts:
        if p in window or any(s in window for s in SYNONYMS.get(p, ())):
            covered.update(i for i in range(len(term)) if term.find(p) <= i < term.find(p) + len(p))
    return len(covered) == len(term)


def salient_terms(question: str) -> list[str]:
    """Words that name what is asked about (nouns, names, numbers, times), not question words."""
    import jieba.posseg as pseg

    out: list[str] = []
    for pair in pseg.cut(question.lower()):
        word, flag = pair.word.strip(), pair.flag
        if len(word) < 2 and not word.isdigit() or word in _STOP or word in _GENERIC:
            continue
        if _ASKING.search(word) or not _WORD.search(word):
            continue
        digit = bool(re.search(r"\d", word)) or bool(re.match(r"第[一二三四五六七八九十]+", word))
        if flag.startswith("m") and not digit:
            continue
        if flag.startswith(_NOT_SALIENT_POS) and not digit and word not in _MODIFIERS:
            continue
        if word not in out:
            out.append(word)
    return out


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
    units = [m.group(1).replace("％", "%").replace("名", "人").replace("位", "人")
             for m in _QUANTITY.finditer(clause)]
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
    "trainee": ("学员",), "pioneer": ("先锋",), "technologically": ("技术",),
    "technological": ("技术",), "industry": ("产业",), "sector": ("产业",),
    "industrial": ("产业",), "jobs": ("从业人数",), "job": ("从业人数",), "staff": ("人员",),
    "batch": ("批",), "second": ("第二",), "first": ("第一",), "park": ("园", "高新区"),
    "high-tech": ("高新",), "zone": ("区",), "investment": ("投资",), "trade": ("贸易",),
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


_ASKS_DATE = re.compile(r"什么时候|何时|哪天|哪一天|哪几天|几月|哪个月|几号|哪年|哪一年|"
                        r"\bwhen\b|what date|which month|what month", re.IGNORECASE)
_ASKS_PERSON = re.compile(r"谁|哪位|名字|叫什么|\bwho\b", re.IGNORECASE)
_DATE = re.compile(r"\d+月|\d+日|年初|年底|年末|季度|\d{4}年")
_DAY = re.compile(r"\d+月|\d+日|年初|年底|年末|季度")
_ASKS_YEAR = re.compile(r"哪年|哪一年|which year|what year", re.IGNORECASE)
_ASKS_ORG = re.compile(r"哪家|哪个(?:机构|单位|部门|公司|企业)|哪些(?:单位|部门|机构|公司|企业)|"
                       r"哪所|主办|承办|\bwhich (?:company|firm|organi[sz]ation)", re.IGNORECASE)
_ORG = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,}(?:公司|集团|中心|委|局|厅|部|院|大学|学院|基地|机构|"
                  r"政府|会|处|司|培训)")
_YES_NO = re.compile(r"是不是|是否|对不对|对吗|(吗|吧)[？?]?$|^(is|was|did|does|are|were)\b",
                     re.IGNORECASE)


def _answer_type_ok(question: str, text: str) -> bool:
    """Does the candidate answer hold the kind of thing asked for (a date, a person, a body)?"""
    if _ASKS_DATE.search(question):
        return bool((_DATE if _ASKS_YEAR.search(question) else _DAY).search(text))
    if _ASKS_ORG.search(question):
        asked = set(_ORG.findall(question))
        return any(org not in asked for org in _ORG.findall(text))
    if _ASKS_PERSON.search(question):
        import jieba.posseg as pseg

        return any(p.flag == "nr" for p in pseg.cut(text))
    return True


def _judge(required: Sequence[str], window: str, known: Callable[[str], bool],
           weight: Callable[[str], float], max_unknown: float) -> bool:
    """Does the window speak of what the question names?

    A named thing missing from the window but present elsewhere in the corpus (another city,
    another batch, another year) means the window answers a different question; names the
    corpus never uses are tolerated only as a small share (they may be paraphrase).
    """
    missing = [t for t in required if not present(t, window)]
    if any(known(t) or re.search(r"\d", t) or _ORDINAL.match(t) for t in missing):
        return False
    return len(missing) <= max_unknown * len(required)


# Verbs that carry no meaning of their own before 多少 (拿到多少钱, 有多少家).
_LIGHT_VERBS = set("有 是 为 拿到 拿 获得 得到 花 用 达到 达 安排 出 占 承担 给 发 给了 算 涉及 "
                   "包括 共有 一共有 排 计 合计 总计 增加 多 少 差 相差 比".split())


def metric_words(question: str) -> list[str]:
    """The noun a quantity question counts or measures (the word beside 多少 / 几).

    It must be in the evidence: 营业收入 or 利润 missing means the report does not say, even if
    every other word of the question is there.
    """
    import jieba.posseg as pseg

    words = [(p.word, p.flag) for p in pseg.cut(question.lower()) if p.word.strip()]
    out: list[str] = []
    for i, (word, _) in enumerate(words):
        if not re.search(r"多少|^几|百分之几", word):
            continue
        after = [w for w, f in words[i + 1 : i + 3] if f.startswith(("n", "vn", "l", "j"))]
        before = [w for w, f in reversed(words[max(0, i - 4) : i])
                  if f.startswith(("n", "vn", "l", "j", "v")) and w not in _LIGHT_VERBS]
        pick = [w for w in after + before
                if w not in _GENERIC and w not in _STOP and len(w) > 1][:1]
        out.extend(pick)
    return out


_EN_STOP = set("""what which who whom whose when where why how many much did does do is are was
were be been the a an of in on at to for from by with and or not no yes there this that these
those it its their they them his her our your my me you we i s year years total number amount
value figure figures number numbers per cent percent percentage share part rest other get got
give given receive received make made add added create created come came grow grew rise rose
like according report say said state stated under over about than more less after before during
new newly each every all any some same money out work worked working total""".split())


def unknown_english_share(question: str) -> float:
    """Share of an English question's content words that the glossary cannot bridge."""
    words = [w for w in re.findall(r"[a-z]+", question.lower().replace("'s", ""))
             if len(w) > 2 and w not in _EN_STOP]
    if not words:
        return 0.0
    bridged = {w for phrase in GLOSSARY for w in phrase.split()}
    unknown = [w for w in words if w not in bridged and w.rstrip("s") not in bridged]
    return len(unknown) / len(words)


def window_supports(question: str, window: str, known: Callable[[str], bool],
                    weight: Callable[[str], float], ignore_years: bool = False) -> bool:
    """Does this text speak of what the question names (years optional: derivations)?"""
    required = salient_terms(question_for_scoring(question))
    if ignore_years:
        required = [t for t in required if not re.fullmatch(r"\d{4}年?度?", t)]
    flat = re.sub(r"\s+", "", window).lower()
    return _judge(required, flat, known, weight, 0.34) and all(
        present(m, flat) for m in metric_words(question_for_scoring(question)))


def question_for_scoring(question: str) -> str:
    """A yes/no question's asserted numbers are what is being checked, not what to look for."""
    if _YES_NO.search(question.strip()):
        # "是1477元吗" asks how much it really is: look for the quantity, not for 1477.
        return _ASSERTED.sub(lambda m: f"多少{m.group(1)}", question)
    return question


def asserted_quantity(question: str) -> str | None:
    """The number a yes/no question puts forward to be checked (是不是27136家 -> 27136家)."""
    if not _YES_NO.search(question.strip()):
        return None
    match = _ASSERTED.search(question)
    return match.group(0) if match else None


def extract_answer(question: str, hits: Sequence[Hit], weight: Callable[[str], float],
                   known: Callable[[str], bool] | None = None, min_support: float = 0.3,
                   focus: str = "", max_unknown: float = 0.34) -> Extract:
    """The best clause window whose passage covers what the question names, else a refusal."""
    scoring = question_for_scoring(question)
    terms = search_terms(scoring)
    evidence = best_evidence(scoring, hits, weight, terms)
    if not evidence or not terms:
        return Extract(True, (), 0.0)
    english = is_english(question)
    if english and unknown_english_share(focus or question) >= 0.2:
        return Extract(True, (), 0.0)
    required = [] if english else salient_terms(question_for_scoring(focus or question))
    is_known = known or (lambda t: False)
    metrics = [] if english else metric_words(question_for_scoring(focus or question))
    for ev in evidence[:12]:
        if ev.coverage < min_support:
            continue
        chunk = hits[ev.hit_index].chunk
        window = re.sub(r"\s+", "", f"{chunk.title}{chunk.section}{chunk.text}").lower()
        if not _judge(required, window, is_known, weight, max_unknown):
            continue
        if not all(present(m, window) for m in metrics):
            continue
        clause = _text_of(hits, ev)
        if _ASKS_RANK.search(scoring):
            if not _RANK.search(clause):
                continue
        elif asks_quantity(scoring) and not _QUANTITY.search(clause):
            continue
        span = _grow(scoring, terms, hits, ev, weight)
        text = chunk.text[span.start - chunk.start : span.end - chunk.start]
        if not _answer_type_ok(question, text):
            continue
        return Extract(False, ((ev.hit_index, span),), ev.coverage)
    return Extract(True, (), evidence[0].coverage)


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
    elif first > 0 and _ASKS_DATE.search(question) and _DATE.search(text(first - 1)) \
            and not _DATE.search(text(first)):
        first -= 1
    while last + 1 < len(clauses) and last - first < 3:
        nxt = text(last + 1)
        if _RATE_LEAD.match(nxt) or covered(first, last + 1) > covered(first, last) + 0.05:
            last += 1
        else:
            break
    if not asks_quantity(question):
        # A what/who/when answer often sits in the clause beside the one that restates the
        # question: widen until the kind of thing asked for is inside.
        def joined() -> str:
            return "".join(text(j) for j in range(first, last + 1))

        while not _answer_type_ok(question, joined()) and (first > 0 or last + 1 < len(clauses)):
            if first > 0:
                first -= 1
            if not _answer_type_ok(question, joined()) and last + 1 < len(clauses):
                last += 1
        if len(joined()) < 25 and (first > 0 or last + 1 < len(clauses)):
            first, last = max(first - 1, 0), min(last + 1, len(clauses) - 1)
    return Span(clauses[first].start, clauses[last].end)


def clause_around(chunk: Chunk, start: int, end: int) -> Span:
    """The clause (absolute span) of the chunk that holds [start, end)."""
    for sentence in split_sentences(chunk.text):
        for clause in clause_spans(chunk.text, sentence):
            a, b = chunk.start + clause.start, chunk.start + clause.end
            if a <= start and end <= b:
                return Span(a, b)
    return Span(start, end)
