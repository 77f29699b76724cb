"""Fact extraction (against a hand-labelled gold table) and the SQLite fact store.

tests/data/gold_facts.csv lists every quantity and rate of the report, labelled by reading
the text: ``subject`` is who the figure is about (the organisation opening the clause, else
the sentence's, else the report's); ``metric`` is the words naming the figure (the noun
phrase before it, or the counted noun after a classifier: 33家服务外包企业 -> 服务外包企业; a
bare verb gets its head noun: 拨付 -> 拨付金额; a growth rate is its quantity's metric plus
同比增长; 按每人9500元的标准 -> 补助标准 in 元/人); ``period`` is the time the sentence
states (or its paragraph's), with month-days anchored to the report's year 2010.
"""

from __future__ import annotations

import csv
import dataclasses
from collections import Counter
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from reportbot.errors import LoadError
from reportbot.facts.store import FactStore, extract_facts, winners
from reportbot.ingest.loading import load_document
from reportbot.records import Fact, SourceDoc
from tests.conftest import REPORT, REPORT_NAME, REPORT_TEXT

GOLD = Path(__file__).resolve().parents[1] / "data" / "gold_facts.csv"
Key = tuple[str, str, str, float, str, str]
K = TypeVar("K", bound=Hashable)


def report_doc(text: str = REPORT_TEXT, doc_id: str = REPORT_NAME) -> SourceDoc:
    doc = load_document(REPORT, doc_id)
    return dataclasses.replace(doc, text=text, sha256=f"sha-{hash(text)}")


def synthetic(text: str, year: int | None = 2011, title: str = "") -> SourceDoc:
    return SourceDoc("t.txt", "t.txt", title, text, f"sha-{hash(text)}", "", year)


def gold_keys() -> Counter[Key]:
    with GOLD.open(encoding="utf-8") as fh:
        return Counter((r["subject"], r["metric"], r["period"], round(float(r["value"]), 4),
                        r["unit"], r["text"]) for r in csv.DictReader(fh))


def key(f: Fact) -> Key:
    return (f.subject, f.metric, f.period, round(f.value, 4), f.unit, f.text)


def precision_recall(found: Counter[K], gold: Counter[K]) -> tuple[float, float]:
    hit = sum((found & gold).values())
    return hit / max(sum(found.values()), 1), hit / max(sum(gold.values()), 1)


class TestExtractionAgainstGold:
    def test_precision_and_recall_are_at_least_097(self) -> None:
        facts = extract_facts(report_doc())
        full_p, full_r = precision_recall(Counter(key(f) for f in facts), gold_keys())
        spans = Counter(k[3:] for k in gold_keys().elements())
        span_p, span_r = precision_recall(Counter(key(f)[3:] for f in facts), spans)
        print(f"\nfact extraction vs gold ({len(facts)} extracted, "
              f"{sum(gold_keys().values())} gold): subject+metric+period+value+unit+text "
              f"precision={full_p:.3f} recall={full_r:.3f}; value+unit+text "
              f"precision={span_p:.3f} recall={span_r:.3f}")
        assert full_p >= 0.97 and full_r >= 0.97

    def test_the_measure_fails_when_extraction_is_wrong(self) -> None:
        facts = extract_facts(report_doc())
        broken = [dataclasses.replace(f, unit="家") if f.unit == "人" else f for f in facts]
        p, r = precision_recall(Counter(key(f) for f in broken), gold_keys())
        assert p < 0.97 and r < 0.97

    def test_spans_are_exact_and_ids_local(self) -> None:
        facts = extract_facts(report_doc())
        assert all(REPORT_TEXT[f.start:f.end] == f.text for f in facts)
        assert [f.fact_id for f in facts] == list(range(1, len(facts) + 1))

    def test_growth_rates_qualify_their_quantity(self) -> None:
        facts = {f.fact_id: f for f in extract_facts(report_doc())}
        links = {f.text: facts[f.qualifies].text for f in facts.values() if f.qualifies}
        assert links == {"43.51%": "188家", "103.4%": "27136人", "70.82%": "7.33亿美元",
                         "150.18%": "2.91亿美元", "170%": "27个"}

    def test_188_is_firms_for_the_city_and_people_for_the_jiangxi_base(self) -> None:
        facts = extract_facts(report_doc())
        by_text = [(f.subject, f.metric, f.unit) for f in facts if f.value == 188]
        assert by_text == [("南昌市", "新增服务外包企业", "家"),
                           ("江西IT人才实训基地", "补助人数", "人")]


class TestExtractionRulesGeneralise:
    def test_subject_metric_period_and_decline_in_another_report(self) -> None:
        text = ("2011年1-6月，上海市新增软件企业56家，同比下降12.5%；实现软件业务收入"
                "1200亿元，其中出口收入30亿美元。")
        got = [(f.subject, f.metric, f.period, f.value, f.unit) for f in
               extract_facts(synthetic(text))]
        assert got == [
            ("上海市", "新增软件企业", "2011年1-6月", 56, "家"),
            ("上海市", "新增软件企业同比下降", "2011年1-6月", -12.5, "%"),
            ("上海市", "软件业务收入", "2011年1-6月", 120_000_000_000, "元"),
            ("上海市", "出口收入", "2011年1-6月", 3_000_000_000, "美元"),
        ]

    def test_counted_noun_after_classifier_and_per_person_standard(self) -> None:
        text = ("今年，杭州市为12家动漫企业兑现奖励资金共计300万元。其中滨江软件园奖励"
                "120人，按每人5000元的标准，发放60万元。")
        got = {f.text: (f.subject, f.metric, f.period, f.unit)
               for f in extract_facts(synthetic(text))}
        assert got["12家"] == ("杭州市", "动漫企业", "2011年", "家")
        assert got["300万元"][1] == "奖励资金"  # 兑现 opens a long object: the predicate
        assert got["120人"] == ("滨江软件园", "奖励人数", "2011年", "人")
        assert got["5000元"] == ("滨江软件园", "奖励标准", "2011年", "元/人")
        assert got["60万元"] == ("滨江软件园", "发放金额", "2011年", "元")

    def test_paragraph_topic_and_month_day_dates_anchor_to_report_year(self) -> None:
        text = "苏州工业园区举办了推介会。5月18日，推介会签约项目三个。"
        facts = extract_facts(synthetic(text, year=2012))
        assert [(f.subject, f.metric, f.period, f.value) for f in facts] == [
            ("苏州工业园区", "推介会签约项目", "2012年5月18日", 3)]

    def test_report_subject_from_title_when_the_text_names_none(self) -> None:
        doc = synthetic("（一）招商引资\n全年签约项目三十个。", year=2012,
                        title="2012年无锡市工作总结")
        assert [(f.subject, f.metric, f.period) for f in extract_facts(doc)] == [
            ("无锡市", "签约项目", "2012年")]

    def test_no_facts_from_dates_ranks_and_document_numbers(self) -> None:
        text = "依照国办函2010年69号文件，第五届博览会于9月26日举行，世界500强企业第24位。"
        assert extract_facts(synthetic(text)) == []


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[FactStore]:
    s = FactStore(tmp_path / "facts.sqlite", tmp_path / "facts.csv")
    yield s
    s.close()


class TestFactStore:
    def test_replace_stores_facts_and_hash(self, store: FactStore) -> None:
        doc = report_doc()
        assert store.indexed_hash(doc.doc_id) is None
        store.replace_document(doc)
        assert store.indexed_hash(doc.doc_id) == doc.sha256
        facts = store.all()
        assert len(facts) == len(extract_facts(doc))
        rate = next(f for f in facts if f.text == "43.51%")
        assert next(f for f in facts if f.fact_id == rate.qualifies).text == "188家"

    def test_replace_is_per_document_and_ids_are_never_reused(self, store: FactStore) -> None:
        doc = report_doc()
        store.replace_document(doc)
        first = {f.fact_id for f in store.all()}
        store.replace_document(synthetic("上海市新增软件企业56家。"))
        store.replace_document(doc)
        again = {f.fact_id for f in store.all() if f.doc_id == doc.doc_id}
        assert len(again) == len(first) and not again & first
        store.remove_document(doc.doc_id)
        assert [f.doc_id for f in store.all()] == ["t.txt"]
        assert store.indexed_hash(doc.doc_id) is None

    def test_lookup_by_words(self, store: FactStore) -> None:
        store.replace_document(report_doc())
        people = store.lookup(metric="补助人数")
        assert [(f.subject, f.value) for f in people] == [
            ("IBM先锋服务外包人才实训基地", 396), ("江西IT人才实训基地", 188)]
        assert [f.text for f in store.lookup(subject="江西IT", unit="元")] == ["178.6万元"]
        assert [f.text for f in store.lookup(period="2010年9月")] == ["四项", "两项"]

    def test_curated_row_overrides_and_keeps_both(self, store: FactStore,
                                                  tmp_path: Path) -> None:
        doc = report_doc()
        store.replace_document(doc)
        old = next(f for f in store.all() if f.text == "867.85万元")
        (tmp_path / "facts.csv").write_text(
            "doc_id,subject,metric,period,value,unit,kind,text,start,end,note\n"
            f"{doc.doc_id},南昌市,争取国家扶持资金,2010年,867.85万元,,,,{old.start},{old.end},"
            "shorter name\n"
            f"{doc.doc_id},南昌市,服务外包企业总数,2010年,500,家,,,,,added by staff\n",
            encoding="utf-8")
        assert store.indexed_hash(doc.doc_id) is None  # the curated file changed
        store.replace_document(doc)
        rows = [f for f in store.all() if f.start == old.start]
        extracted = next(f for f in rows if f.origin == "extracted")
        curated = next(f for f in rows if f.origin == "curated")
        assert extracted.overridden_by == curated.fact_id and curated.value == 8_678_500
        assert curated.text == "867.85万元"
        assert [f.metric for f in store.lookup(metric="扶持资金")] == ["争取国家扶持资金"]
        assert store.lookup(metric="服务外包企业总数")[0].value == 500
        assert len(winners(store.all())) == len(store.all()) - 1

    def test_bad_curated_row_names_its_line(self, store: FactStore, tmp_path: Path) -> None:
        (tmp_path / "facts.csv").write_text(
            "doc_id,subject,metric,period,value,unit\nr.txt,a,b,c,lots,元\n", encoding="utf-8")
        with pytest.raises(LoadError, match="line 2.*lots"):
            store.replace_document(report_doc(doc_id="r.txt"))

    def test_curated_text_not_in_document_is_an_error(self, store: FactStore,
                                                      tmp_path: Path) -> None:
        (tmp_path / "facts.csv").write_text(
            "doc_id,value,unit,text\nr.txt,1,家,一万家\n", encoding="utf-8")
        with pytest.raises(LoadError, match="not in r.txt"):
            store.replace_document(report_doc(doc_id="r.txt"))

    def test_export_csv_for_spreadsheets(self, store: FactStore, tmp_path: Path) -> None:
        store.replace_document(report_doc())
        out = tmp_path / "out" / "facts.csv"
        assert store.export_csv(out) == len(store.all())
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
        row = next(r for r in rows if r["text"] == "7.33亿美元")
        assert (row["value"], row["unit"], row["display"]) == ("7.33e+08", "美元", "7.33亿美元")


def test_all_facts_follow_writes_of_this_and_other_connections(tmp_path: Path) -> None:
    import hashlib

    def doc(doc_id: str, text: str) -> SourceDoc:
        return SourceDoc(doc_id, doc_id, "T", text, hashlib.sha256(text.encode()).hexdigest())

    path = tmp_path / "facts.sqlite"
    server, ingest = FactStore(path), FactStore(path)  # e.g. `serve` and `reportbot ingest`
    try:
        assert server.all() == []
        ingest.replace_document(doc("a", "2010年南昌市新增服务外包企业188家。"))
        assert [f.value for f in server.all()] == [188]
        server.replace_document(doc("b", "江西IT人才实训基地补助200人。"))
        assert sorted(f.value for f in server.all()) == [188, 200]
        ingest.remove_document("a")
        assert [f.value for f in server.all()] == [200]
        server.all().clear()  # callers get a copy
        assert len(server.all()) == 1
    finally:
        server.close()
        ingest.close()
