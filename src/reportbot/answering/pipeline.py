"""The answer chain (LangChain runnables): question -> retrieve -> cited extractive answer."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from langchain_core.runnables import RunnableLambda

from reportbot.answering.bridge import EnglishBridge
from reportbot.answering.citations import cite, joined_clauses, passage, quoted
from reportbot.answering.compare import compared, stated_by_fact, with_own_figure
from reportbot.answering.demands import question_states_measure
from reportbot.answering.evidence import Candidate, Meaning, candidates
from reportbot.answering.extractive import (
    REFUSAL,
    REFUSAL_EN,
    Extract,
    clauses_of,
    extract_answer,
    question_terms,
)
from reportbot.answering.generative import Asked, GenerativeComposer
from reportbot.answering.guard import sentence_of, window_supports
from reportbot.answering.kinds import states_share
from reportbot.answering.limits import Deadline, clean_question
from reportbot.answering.notes import DocumentNotes
from reportbot.answering.sides import derived_from_sides, prior_from_clause
from reportbot.answering.superlative import superlative
from reportbot.answering.trust import fact_answer_fits, quoted_text
from reportbot.answering.verdict import short_of, verdict
from reportbot.answering.within import change_within, derived_within, remainder_asked
from reportbot.config import Settings
from reportbot.facts.store import FactStore
from reportbot.language.asking import asks_figure, pattern, question_for_scoring
from reportbot.language.followup import Rewrite, in_context, recent_turns, refers_back, rewrite
from reportbot.language.normalise import normalise_question
from reportbot.language.question import Question, analyse
from reportbot.language.terms import spelled_out
from reportbot.language.tokens import is_english
from reportbot.language.vocabulary import SYNONYMS, Glossary, corpus_glossary
from reportbot.numbers.answer import NumericAnswer, answer_numeric
from reportbot.numbers.crosscheck import check_numbers
from reportbot.records import Answer, Fact, Hit
from reportbot.retrieval.hybrid import HybridSearcher, Mode, ReportbotRetriever, document_to_hit

Turn = Mapping[str, str]


@dataclass
class _State:
    question: str
    standalone: str
    focus: str
    frame: Question
    deadline: Deadline
    hits: list[Hit] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    english: bool = False
    draft: Answer | None = None
    stats: Any = None  # the term statistics of the passages' documents (searcher.statistics)


class Pipeline:
    """Answers questions over the indexed corpus; one instance serves many questions.

    The stages are LangChain runnables: retrieve (the :class:`ReportbotRetriever`, usable
    by any other LangChain chain) -> compose (extractive clauses or a fact answer, else a
    refusal) -> check (every number against the fact table; yes/no verdicts).
    """

    def __init__(self, searcher: HybridSearcher, facts: FactStore, settings: Settings,
                 mode: Mode = "hybrid") -> None:
        self.searcher = searcher
        self.facts = facts
        self.settings = settings
        self.glossary = corpus_glossary(settings.corpus_dir)
        self.mode = mode
        self.retriever = ReportbotRetriever(searcher=searcher, top_k=settings.top_k, mode=mode)
        self._doc_notes: tuple[int, Mapping[str, str]] = (-1, {})
        self._bridge = EnglishBridge(self.glossary, searcher)
        self.generator = GenerativeComposer(settings) if settings.llm_base_url else None
        self._composed = RunnableLambda(self._retrieve) | RunnableLambda(self._compose)
        # With an LLM server the checked extractive answer is computed first (fast, and the
        # fallback), then the generated one replaces it only if it passes every check.
        self._chain = self._composed | RunnableLambda(
            self._check if self.generator is None else self._generate)

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Answer one question (with earlier turns for follow-ups), every claim cited."""
        state = self._start(question, history)
        return self._finish(state, self._chain.invoke(state))

    def stream(self, question: str, history: Sequence[Turn] = ()) -> Iterator[str | Answer]:
        """The answer as it is written: with an LLM server, the unverified draft text as it
        streams in (growing strings), then always the final, checked Answer."""
        state = self._start(question, history)
        if self.generator is None:
            yield self._finish(state, self._chain.invoke(state))
            return
        for item in self.generator.run_stream(self._asked(self._composed.invoke(state))):
            yield item if isinstance(item, str) else self._finish(state, item)

    @staticmethod
    def _finish(state: _State, result: Answer) -> Answer:
        total = state.deadline.elapsed() * 1000
        return replace(result, timings_ms={**result.timings_ms, "total": total})

    def _start(self, question: str, history: Sequence[Turn]) -> _State:
        """The question cleaned, normalised, rewritten if a follow-up, and analysed."""
        deadline = Deadline(self.settings.answer_budget_s)
        limit = self.settings.max_question_chars
        text = clean_question(question, limit)
        turns = self.recent(history)
        known = self.searcher.lexical.pieces
        normalised = normalise_question(text, known.__contains__)
        rw = rewrite(normalised, turns, self.facts.subjects() if turns else ())
        if len(rw.question) > limit:  # a follow-up joined to a long question: ask it alone
            rw = Rewrite(normalised, "")
        frame = analyse(rw.question, self._glossary(rw.question))
        if rw.focus and turns and not frame.english and not refers_back(rw.focus):
            # 其中X是多少: X's figure (in the last question's time and place), not the last one's
            frame = replace(frame, fact_query=in_context(turns[-1]["question"], rw.focus))
        return _State(question=text, standalone=rw.question, focus=rw.focus, frame=frame,
                      deadline=deadline)

    def _generate(self, state: _State) -> Answer:
        assert self.generator is not None
        return self.generator.run(self._asked(state))

    def _asked(self, state: _State) -> Asked:
        """What the LLM stage works from, with the checked extractive answer (its fallback)."""
        return Asked(state.question, state.standalone, state.frame, state.hits, state.facts,
                     state.english, self._check(state))

    def recent(self, history: Sequence[Turn]) -> list[dict[str, str]]:
        """The earlier turns a follow-up may use: the newest within the history limits."""
        return recent_turns(history, self.settings.max_history_turns,
                            self.settings.max_history_chars)

    def _retrieve(self, state: _State) -> _State:
        state.deadline.check("检索 retrieve")
        t = time.perf_counter()
        english = state.frame.english
        query = f"{state.standalone} {' '.join(state.frame.terms)}" if english else state.standalone
        diverse = state.frame.intent in ("list", "compare")  # several different passages
        state.hits = [document_to_hit(d) for d in self.retriever.invoke(query, diverse=diverse)]
        state.stats = self.searcher.statistics(state.hits, state.standalone)
        top = [h.chunk.text for h in state.hits if h.chunk.doc_id == state.hits[0].chunk.doc_id]
        spelled = state.standalone if english or not top else spelled_out(state.standalone, top)
        if spelled != state.standalone:  # 营收 asked, the best document writes 营业收入
            state.standalone, state.frame = spelled, analyse(spelled, self.glossary)
        state.timings["retrieve"] = (time.perf_counter() - t) * 1000
        return state

    def retrieve(self, question: str) -> list[Hit]:
        """The passages a standalone question's answer is composed from, best first (an
        English question's words bridged by the glossary; list questions diversified)."""
        return self._retrieve(self._alone(question)).hits

    def _alone(self, question: str) -> _State:
        text = normalise_question(clean_question(question, self.settings.max_question_chars),
                                  self.searcher.lexical.pieces.__contains__)
        return _State(question=text, standalone=text, focus="", deadline=Deadline(
            self.settings.answer_budget_s), frame=analyse(text, self._glossary(text)))

    def evidence_candidates(self, question: str, meaning: Meaning | None = None
                            ) -> tuple[list[Hit], list[Candidate]]:
        """The passages retrieved for a question and every clause of them with its evidence
        features, as the answer sees them (what eval/fit_evidence.py fits weights on)."""
        state = self._alone(question)
        hits, text = self._retrieve(state).hits, state.standalone
        scoring = question_for_scoring(text)
        terms, _, _ = question_terms(text, hits, self._glossary(text))
        return hits, candidates(scoring, hits, self._weight("", state.stats), terms, meaning)

    def _weight(self, focus: str, lexical: Any) -> Any:
        focus_low = focus.lower()

        def weight(term: str) -> float:
            # Words the corpus never uses weigh little here: they are mostly paraphrase;
            # the salient-term check decides whether a missing name means "not in the report".
            idf = lexical.idf(term)
            if idf is None:  # staff's word for one the report uses: weigh it as that word
                known = [i for s in SYNONYMS.get(term, ()) if (i := lexical.idf(s)) is not None]
                idf = max(known) if known else None
            w = 0.5 if idf is None else max(idf, 0.1)
            return 2 * w if focus_low and term in focus_low else w

        return weight

    def _compose(self, state: _State) -> _State:
        """A fact answer when the fact table answers and its passages speak of the question,
        else the best cited clauses, else a refusal."""
        state.deadline.check("组织回答 compose")
        t = time.perf_counter()
        extract = self._with_own_figure(state, self._extract(state, state.standalone,
                                                             state.focus,
                                                             **self._items(state.frame)))
        state.english = is_english(state.question)
        state.facts = self.facts.all()
        numeric = self._numeric(state, state.facts)
        compared = self._compared(state) if state.frame.intent == "compare" else None
        if compared is not None:
            state.draft = compared
        elif numeric is not None and self._trust_numeric(state, extract, numeric):
            state.draft = self._from_facts(state, numeric, state.english)
        elif not state.english and (top := superlative(state.standalone, state.hits)):
            state.draft = replace(top, question=state.question)
        elif (derived := self._derived(state, extract)) is not None:
            state.draft = derived
        elif extract.refused or self._share_unanswered(state, extract):
            state.draft = self._refusal(state, state.english)
        else:
            state.draft = self._cited(state, extract, state.english)
        state.timings["compose"] = (time.perf_counter() - t) * 1000
        return state

    def _extract(self, state: _State, question: str, focus: str, **items: Any) -> Extract:
        """The best cited clause(s) for a question over the retrieved passages."""
        lexical, s = state.stats, self.settings
        return extract_answer(question, state.hits, self._weight(focus, lexical),
                              self._glossary(question),
                              known=lambda t: lexical.idf(t) is not None,
                              min_support=s.min_support, focus=focus,
                              max_unknown=s.max_unknown,
                              max_unknown_english=s.max_unknown_english,
                              notes=self._notes(),
                              meaning=self.searcher.similarity.to(question),
                              meaning_top=s.evidence_meaning_top, **items)

    def _with_own_figure(self, state: _State, extract: Extract) -> Extract:
        """A yes/no on a named level also cites the subject's own figure (compare.py)."""
        if not state.frame.yes_no:
            return extract
        return with_own_figure(state.standalone, state.hits, extract, self._side(state))

    def _compared(self, state: _State) -> Answer | None:
        """Both sides of a comparison, each cited, the conclusion first (compare.py)."""
        if state.frame.english:
            return None
        answer = compared(state.standalone, state.hits, self._side(state))
        return None if answer is None else replace(answer, question=state.question)

    def _derived(self, state: _State, extract: Extract) -> Answer | None:
        """A difference, multiple or share computed from its two cited sides (sides.py);
        a change asked of one measure (比一季度提高了多少) keeps the clause stating it, or is
        worked out from its two ends (由30万调整为50万元, within.change_within)."""
        stated = pattern("stated_change").search(state.standalone) is not None
        kind = state.frame.derivation or remainder_asked(state.standalone)
        if not state.frame.english and not extract.refused and (
                changed := change_within(state.standalone, state.hits, extract.spans)):
            return replace(changed, question=state.question)
        if state.frame.english or not extract.refused and (kind is None or stated):
            return None
        derive = prior_from_clause if state.frame.derivation == "prior" else derived_from_sides
        answer = derive(state.standalone, state.hits, self._side(state))
        if answer is None:  # no two sides named: the two figures one statement gives
            terms, _, _ = question_terms(state.standalone, state.hits,
                                         self._glossary(state.standalone), "")
            answer = derived_within(state.standalone, kind, state.hits, terms,
                                    self._weight("", state.stats), not extract.refused)
        return None if answer is None else replace(answer, question=state.question)

    def _side(self, state: _State) -> Any:
        """One side's clause (its words spelled as the passages write them: 上金所 ->
        上海黄金交易所): its fact's clause when a fact states it, else the best one."""
        passages = [(h.chunk.doc_id, h.chunk.start, h.chunk.end, h.chunk.text)
                    for h in state.hits]

        def side(asked: str, **items: Any) -> Extract:
            q = spelled_out(asked, [text for *_, text in passages])
            numeric = answer_numeric(q, passages, self.facts.all()) if asks_figure(q) else None
            fact = stated_by_fact(state.hits, state.standalone, numeric,
                                  lambda hit: self._speaks(q, hit, state.stats))
            if fact is not None and fact.spans:  # 成交均价 asked: no 成交套数 fact
                i, span = fact.spans[0]
                chunk = state.hits[i].chunk
                if question_states_measure(q, chunk.section + sentence_of(chunk, span),
                                           chunk.section + chunk.text):
                    return fact
            return self._extract(state, q, "", **items)

        return side

    def _speaks(self, question: str, hit: Hit, lexical: Any) -> bool:
        """Does the passage (with its document's notes and title) speak of the question?"""
        window = f"{self._notes().get(hit.chunk.doc_id, '')}{hit.chunk.title}{hit.chunk.text}"
        return window_supports(question, window, lambda t: lexical.idf(t) is not None,
                               self._weight("", lexical), ignore_years=False)

    def _glossary(self, question: str) -> Glossary:
        """The glossary; for English also the corpus's names in pinyin, dictionary senses
        and the passages' words closest by meaning (bridge.py)."""
        return self._bridge.glossary(question)

    def _notes(self) -> Mapping[str, str]:
        """What each document's metadata and lead say (notes.py), by doc_id; anew per catalog."""
        catalog = self.searcher.catalog
        generation = catalog.generation()
        if self._doc_notes[0] != generation:
            self._doc_notes = (generation, DocumentNotes(catalog))
        return self._doc_notes[1]

    def _items(self, frame: Question) -> dict[str, Any]:
        """How many clauses an answer gathers (the items of a list, else one) and whether
        each is quoted with its sentence (a list, a how or a why)."""
        if frame.intent == "list":
            return {"max_spans": self.settings.list_items, "item_margin": self.settings.list_margin,
                    "whole_sentences": True}
        return {"whole_sentences": frame.intent in ("how", "why")}

    def _check(self, state: _State) -> Answer:
        """Every number of an answer checked against the fact table; yes/no verdicts."""
        state.deadline.check("核对数字 check")
        t = time.perf_counter()
        answer = state.draft
        assert answer is not None, "compose runs before check"
        if not answer.refused:
            answer = verdict(state.standalone, state.frame,
                             self._checked(answer, state.facts), state.english)
        state.timings["check"] = (time.perf_counter() - t) * 1000
        return replace(answer, timings_ms={**answer.timings_ms, **state.timings},
                       intent=state.frame.intent,
                       short_answer=answer.short_answer or short_of(state.frame, answer))

    def _share_unanswered(self, state: _State, extract: Extract) -> bool:
        """A share asked (对日业务占多少), no fact gives it, and the passage states no share
        either: a quoted growth rate or amount would only look like an answer."""
        if state.frame.derivation != "share":
            return False
        return not states_share(quoted_text(state.hits, extract))

    def _numeric(self, state: _State, facts: list[Fact]) -> NumericAnswer | None:
        """A fact-table answer for a quantity question (direct or derived), if one fits."""
        if not facts or not state.frame.figure:
            return None
        passages = [(h.chunk.doc_id, h.chunk.start, h.chunk.end, h.chunk.text)
                    for h in state.hits]
        return answer_numeric(state.frame.fact_query, passages, facts,
                              word_order=not state.frame.english)

    def _trust_numeric(self, state: _State, extract: Extract, numeric: NumericAnswer) -> bool:
        """Use the fact answer when the passages holding its facts speak of the question."""
        lexical = state.stats
        return fact_answer_fits(state.frame, state.standalone, state.hits, extract, numeric,
                                self._notes(), lambda t: lexical.idf(t) is not None,
                                self._weight(state.focus, lexical))

    def _from_facts(self, state: _State, numeric: NumericAnswer, english: bool) -> Answer:
        """The fact answer, each fact cited by the clause that states it."""
        citations = [cite(i + 1, hit.chunk, span) for i, (hit, span)
                     in enumerate(joined_clauses(clauses_of(state.hits, numeric.spans)))]
        body = numeric.text.rstrip("。")
        marks = "".join(f"[{c.n}]" for c in citations)
        text = f"According to the report: {body}{marks}" if english else f"{body}{marks}。"
        return Answer(question=state.question, answer=text, refused=False,
                      citations=tuple(citations), numbers=numeric.numbers,
                      standalone_question=state.standalone)

    @staticmethod
    def _checked(answer: Answer, facts: list[Fact]) -> Answer:
        """Give every number in the answer a status against the fact table."""
        if answer.numbers or not facts:
            return answer
        spans = [(c.doc_id, c.start, c.end) for c in answer.citations]
        # Citation markers are not numbers of the answer.
        numbers = tuple(check_numbers(re.sub(r"\[\d+\]", "", answer.answer), facts, spans))
        return replace(answer, numbers=numbers)

    def _refusal(self, state: _State, english: bool) -> Answer:
        closest = tuple(passage(i + 1, h.chunk) for i, h in enumerate(state.hits[:3]))
        text = f"{REFUSAL}。({REFUSAL_EN})" if english else f"{REFUSAL}。"
        return Answer(question=state.question, answer=text, refused=True, closest=closest,
                      standalone_question=state.standalone)

    def _cited(self, state: _State, extract: Extract, english: bool) -> Answer:
        text, citations = quoted(state.hits, extract.spans, english)
        return Answer(question=state.question, answer=text, refused=False,
                      citations=citations, standalone_question=state.standalone)


