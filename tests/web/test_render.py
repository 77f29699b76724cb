"""Pure rendering of the web chat: linked markers, highlighted sources, badges, inert text."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from reportbot.records import Answer, Citation, Fact, NumberCheck
from reportbot.web.render import (
    DOC_HEADERS,
    DOC_TYPES,
    FACT_HEADERS,
    FACT_TYPES,
    answer_html,
    answer_text,
    badge,
    document_rows,
    error_html,
    fact_rows,
    fact_source_html,
    inert,
    linked_answer,
    markdown_inert,
    numbers_html,
    passage_html,
    snippet,
    sources_html,
    sources_panel,
    stream_prefixes,
)

DOC = "Doc"
PASSAGE = ("经市政府同意,其中IBM先锋服务外包人才实训基地补助396人,按每人9500元的标准,"
           "江西IT人才实训基地补助188人,按每人9500元的标准,拨付178.6万元。")
TEXT = "标题\n" + PASSAGE + "\n下一段。"
P0 = TEXT.index(PASSAGE)
SPAN = "江西IT人才实训基地补助188人"
S0 = TEXT.index(SPAN)
N188 = TEXT.index("188人")
XSS = ('<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
       "[click](javascript:alert(1)) **bold** $x$ `code`")


def cite(n: int = 1, text: str = SPAN, start: int = S0, title: str = "2010年总结",
         section: str = "(二)解决遗留问题") -> Citation:
    return Citation(n, DOC, title, section, start, start + len(text), text, P0,
                    P0 + len(PASSAGE), PASSAGE)


def fact(fact_id: int = 21, text: str = "188人", start: int = N188, value: float = 188,
         unit: str = "人") -> Fact:
    return Fact(fact_id, DOC, "江西IT人才实训基地", "补助人数", "2009年度", value, unit, text,
                start, start + len(text))


def answer(**kw: object) -> Answer:
    base: dict[str, object] = {"question": "江西IT人才实训基地补助了多少人？",
                               "answer": f"{SPAN}[1]。", "refused": False,
                               "citations": (cite(),), "standalone_question": ""}
    base.update(kw)
    return Answer(**base)  # type: ignore[arg-type]


class Tags(HTMLParser):
    """Collects every start tag and attribute, to prove nothing active was emitted."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


SAFE_TAGS = {"div", "span", "a", "mark", "details", "summary", "blockquote", "ol", "li", "br",
             "q"}


def assert_inert(html: str) -> None:
    """Only our own tags, no event handlers, no javascript: links, no Markdown link syntax."""
    for tag, attrs in tags_of(html):
        assert tag in SAFE_TAGS, f"unexpected <{tag}> in {html}"
        assert not any(name.startswith("on") for name in attrs), attrs
        assert not (attrs.get("href") or "").lower().startswith("javascript")
    assert "](" not in html and "**" not in html and "$x$" not in html
    assert "\n" not in html


class TestInert:
    def test_escapes_html_and_markdown_punctuation(self) -> None:
        out = inert(XSS)
        assert "<" not in out and ">" not in out and '"' not in out
        assert "[" not in out and "(" not in out and "*" not in out and "$" not in out
        assert "&lt;script&gt;" in out

    def test_round_trips_as_text(self) -> None:
        assert unescape(inert(XSS, breaks=False)) == XSS

    def test_newlines_become_breaks(self) -> None:
        assert inert("a\nb") == "a<br>b"
        assert inert("a\nb", breaks=False) == "a b"

    @pytest.mark.parametrize("text", [XSS, "\n\n# heading\n\n- item", "<b onmouseover=x>"])
    def test_every_renderer_keeps_document_text_inert(self, text: str) -> None:
        c = Citation(1, DOC, text, text, 0, len(text), text, 0, len(text), text)
        a = Answer(question=text, answer=f"{text}[1]", refused=False, citations=(c,),
                   numbers=(NumberCheck(text, 1, "", "unverified"),),
                   standalone_question=text + "?")
        for html in (answer_html(a, 1), sources_html(a, 1), passage_html(c, 1),
                     error_html(text), linked_answer(a.answer, a.citations, 1),
                     snippet(text, 0, len(text))):
            assert_inert(html)


class TestAnswerHtml:
    def test_markers_link_to_their_source_in_the_panel(self) -> None:
        html = answer_html(answer(), turn=3)
        assert '<a class="rb-cite" href="#rb-src-3-1"' in html
        panel = sources_html(answer(), turn=3)
        assert 'id="rb-src-3-1"' in panel

    def test_unknown_markers_stay_text(self) -> None:
        html = linked_answer("甲[1]乙[7]。", (cite(),), 1)
        assert html.count("rb-cite") == 1
        assert "&#91;7&#93;" in html

    def test_rewritten_question_is_shown_only_when_it_differs(self) -> None:
        follow = answer(question="江西IT人才实训基地呢？",
                        standalone_question="江西IT人才实训基地补助了多少人？")
        assert "理解为：「江西IT人才实训基地补助了多少人？」" in answer_html(follow, 2)
        same = answer(standalone_question="江西IT人才实训基地补助了多少人？")
        assert "理解为" not in answer_html(same, 1)

    def test_refusal_looks_like_a_refusal_and_offers_closest_passages(self) -> None:
        closest = (cite(1, PASSAGE, P0), cite(2, PASSAGE, P0))
        refusal = Answer(question="GDP是多少？", answer="报告中未找到相关信息。", refused=True,
                         closest=closest)
        html = answer_html(refusal, 4)
        assert 'class="rb-msg rb-refusal"' in html and "报告中未找到相关信息" in html
        assert "最接近的段落" in html and 'href="#rb-src-4-2"' in html
        panel = sources_html(refusal, 4)
        assert "未找到答案，最接近的段落" in panel and "<mark" not in panel
        assert panel.count('class="rb-src"') == 2

    def test_api_text_is_plain_with_sources_and_statuses(self) -> None:
        a = answer(numbers=(NumberCheck("188人", 188, "人", "verified", (21,)),),
                   question="江西IT人才实训基地呢？",
                   standalone_question="江西IT人才实训基地补助了多少人？")
        text = answer_text(a)
        assert text.splitlines()[0] == "（理解为：江西IT人才实训基地补助了多少人？）"
        assert "188人 已核实" in text and "[1] 2010年总结 · (二)解决遗留问题 · 字符" in text
        assert "<" not in text


class TestSources:
    def test_cited_span_is_marked_inside_its_passage(self) -> None:
        html = passage_html(cite(), 1)
        assert f'<mark class="rb-hl">{SPAN}</mark>' in html
        before = html.split("<mark")[0]
        assert "IBM先锋服务外包人才实训基地补助396人" in before

    def test_span_that_does_not_match_its_passage_falls_back_to_the_quote(self) -> None:
        bad = Citation(1, DOC, "t", "", S0, S0 + 3, "不一样", P0, P0 + len(PASSAGE), PASSAGE)
        html = passage_html(bad, 1)
        assert '<mark class="rb-hl">不一样</mark>' in html and "IBM" not in html

    def test_panel_lists_newest_first_and_only_it_open(self) -> None:
        first, second = sources_html(answer(), 1), sources_html(answer(), 2)
        panel = sources_panel([first, second])
        assert panel.index("rb-src-2-1") < panel.index("rb-src-1-1")
        assert panel.count("<details open") == 1
        assert "提问后" in sources_panel([])


class TestBadges:
    FACTS = {21: fact(), 18: fact(18, "396人", TEXT.index("396人"), 396)}
    TEXTS = {DOC: TEXT}

    def test_verified_shows_fact_and_span_on_hover_and_expand(self) -> None:
        html = badge(NumberCheck("188人", 188, "人", "verified", (21,)), self.FACTS, self.TEXTS)
        assert 'class="rb-badge rb-verified"' in html and "已核实" in html
        found = re.search(r'title="([^"]*)"', html)
        assert found
        title = unescape(found.group(1))
        assert "#21 江西IT人才实训基地 · 补助人数 · 2009年度「188人」" in title
        assert f"字符 {N188}–{N188 + 4}" in title
        assert '<mark class="rb-hl">188人</mark>' in html and "#21（江西IT人才实训基地" in html
        assert "下一段" not in html  # context stays inside the fact's paragraph

    def test_derived_shows_formula_and_inputs(self) -> None:
        check = NumberCheck("584人", 584, "人", "derived", (18, 21), "396人 + 188人 = 584人")
        html = badge(check, self.FACTS, self.TEXTS)
        assert "rb-derived" in html and "推算" in html
        assert "算式：396人 + 188人 = 584人" in html and "输入" in html
        assert "#18（" in html and "#21（" in html

    def test_mismatch_and_unverified_are_warned(self) -> None:
        mismatch = badge(NumberCheck("199人", 199, "人", "mismatch", (21,)), self.FACTS,
                         self.TEXTS)
        assert "rb-mismatch" in mismatch and "与报告不符" in mismatch and "报告原文" in mismatch
        unverified = badge(NumberCheck("5个", 5, "个", "unverified"), {}, {})
        assert "rb-unverified" in unverified and "未核实" in unverified
        assert "请对照原文核实" in unverified

    def test_unknown_status_is_shown_as_unverified(self) -> None:
        assert "rb-unverified" in badge(NumberCheck("1", 1, "", "weird"), {}, {})

    def test_badge_row_is_empty_without_numbers_and_in_the_answer_otherwise(self) -> None:
        assert numbers_html((), {}, {}) == ""
        a = answer(numbers=(NumberCheck("188人", 188, "人", "verified", (21,)),))
        html = answer_html(a, 1, self.FACTS, self.TEXTS)
        assert "数字核对" in html and "rb-verified" in html

    def test_a_repeated_number_gets_one_badge(self) -> None:
        share = NumberCheck("39.7%", 39.7, "%", "derived", (7, 5),
                            "2.91亿美元 ÷ 7.33亿美元 ≈ 39.7%")
        html = numbers_html((share, share), {}, {})
        assert html.count("<details") == 1
        assert answer_text(answer(numbers=(share, share))).count("39.7% 推算") == 1


class TestTablesAndMisc:
    def test_fact_rows_skip_overridden_facts(self) -> None:
        from dataclasses import replace

        rows = fact_rows([fact(), replace(fact(22), overridden_by=30)])
        assert [r[0] for r in rows] == [21] and rows[0][4] == 188
        assert len(rows[0]) == len(FACT_HEADERS) == len(FACT_TYPES)
        assert FACT_HEADERS[0] == "编号" and FACT_HEADERS[4] == "数值"

    def test_fact_source_marks_the_span_in_its_paragraph(self) -> None:
        html = fact_source_html(fact(), TEXT, "<b>标题</b>")
        assert '<mark class="rb-hl">188人</mark>' in html and "下一段" not in html
        assert "&lt;b&gt;标题" in html
        assert_inert(html)

    def test_document_rows_carry_fact_counts(self) -> None:
        rows = document_rows([("a.txt", "A", 3, "f" * 64)], {"a.txt": 7})
        assert rows == [["a.txt", "A", 3, 7, "f" * 12]]
        assert len(DOC_HEADERS) == len(DOC_TYPES) == len(rows[0])

    def test_stream_prefixes_grow_to_the_whole_text(self) -> None:
        parts = stream_prefixes("一二三四五六七八九十", 4)
        assert parts[-1] == "一二三四五六七八九十"
        assert all(b.startswith(a) for a, b in zip(parts, parts[1:], strict=False))
        assert stream_prefixes("") == [""]

    def test_markdown_inert_keeps_tables_but_not_links_or_html(self) -> None:
        md = "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:y) |"
        out = markdown_inert(md)
        assert "| a | b |" in out and "<img" not in out and "](" not in out


def test_the_short_answer_comes_first_and_is_inert() -> None:
    html = answer_html(answer(short_answer="188人", intent="lookup"), 1)
    assert html.index("rb-short") < html.index('class="rb-text"') and "188人" in html
    items = answer_html(answer(short_answer=("<b>甲</b>", "乙"), intent="list"), 2)
    assert "&lt;b&gt;甲&lt;/b&gt;、乙" in items
    assert "rb-short" not in answer_html(answer(short_answer=None), 3)
