"""The catalog's entity lists: a data dir from before them keeps working and is caught up."""

from __future__ import annotations

from reportbot.app.service import Reportbot
from reportbot.stores.catalog import Catalog, m001_documents_and_chunks
from reportbot.stores.sqlite import connect, migrate
from tests.conftest import REPORT_NAME


def test_an_old_data_dir_keeps_its_documents_and_gets_entities_on_the_next_ingest(
        fresh: Reportbot) -> None:
    fresh.ingestor().run()
    path = fresh.settings.catalog_path
    fresh.catalog.close()
    # Make the catalog look like one written before the entity tables existed.
    conn = connect(path)
    with conn:
        conn.execute("DROP TABLE doc_entities")
        conn.execute("DROP TABLE doc_profiles")
        conn.execute("DELETE FROM _migrations WHERE name='m002_document_entities'")
    migrate(conn, [m001_documents_and_chunks])
    conn.close()
    bot = Reportbot(fresh.settings, embedder=fresh.embedder)
    assert [d.doc_id for d in bot.catalog.documents()] == [REPORT_NAME]
    assert bot.catalog.entities(REPORT_NAME) == {}
    report = bot.ingestor().run()
    assert report.skipped == [REPORT_NAME] and report.chunks == 0  # nothing re-embedded
    assert bot.catalog.entities(REPORT_NAME)["place"]["南昌"] > 10


def test_entities_are_dropped_with_their_document(fresh: Reportbot) -> None:
    fresh.ingestor().run()
    catalog: Catalog = fresh.catalog
    assert catalog.entities(REPORT_NAME)
    catalog.remove_document(REPORT_NAME)
    assert catalog.entities(REPORT_NAME) == {} and catalog.profiles() == {}
