"""What the web handlers share: the pipeline, feedback store, users, and rendering of answers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from reportbot.answering.pipeline import Pipeline
from reportbot.app.service import Reportbot
from reportbot.config import Settings
from reportbot.errors import ReportbotError
from reportbot.records import Answer, Fact
from reportbot.stores.feedback import FeedbackStore
from reportbot.stores.users import Users
from reportbot.web.render import answer_html, facts_by_id, sources_html

log = logging.getLogger(__name__)


@dataclass
class WebContext:
    """What the handlers share: the service, its pipeline, feedback and (with login) users."""

    bot: Reportbot
    pipeline: Pipeline
    feedback: FeedbackStore
    users: Users | None = None

    @property
    def settings(self) -> Settings:
        """The settings the pipeline was built with."""
        return self.pipeline.settings

    @property
    def login(self) -> bool:
        """True when the app runs behind a login (an account exists; read afresh)."""
        return self.users is not None and self.users.enabled()

    def may_upload(self, username: str | None) -> bool:
        """Anyone without login; only admins with it."""
        return not self.login or self.users is not None and self.users.is_admin(username)

    def facts(self) -> list[Fact]:
        """The fact table (empty when it cannot be read)."""
        try:
            return list(self.pipeline.facts.all())
        except ReportbotError as exc:
            log.warning("fact table unavailable: %s", exc.message)
            return []

    def texts(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """Full texts of the given documents (for spans shown in context)."""
        out: dict[str, str] = {}
        for doc_id in set(doc_ids):
            doc = self.pipeline.searcher.catalog.document(doc_id)
            if doc is not None:
                out[doc_id] = doc.text
        return out

    def render(self, answer: Answer, turn: int) -> tuple[str, str]:
        """The chat bubble and the sources-panel section of one answer."""
        facts = facts_by_id(self.facts()) if answer.numbers else {}
        wanted = [facts[i].doc_id for n in answer.numbers for i in n.fact_ids if i in facts]
        return (answer_html(answer, turn, facts, self.texts(wanted)),
                sources_html(answer, turn))
