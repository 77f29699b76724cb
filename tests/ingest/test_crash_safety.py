"""kill -9 in the middle of a fact-table rebuild, then a restart (real subprocesses)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from reportbot.app.service import Reportbot
from reportbot.app.workflow import open_pipeline
from reportbot.config import Settings
from reportbot.facts.store import FactStore
from tests.conftest import REPORT_NAME, REPORTBOT, copy_corpus, make_settings
from tests.servers import app_env

NOTES = 200
CURATED = ("doc_id,subject,metric,period,value,unit,kind,text,start,end,note\n"
           f"{REPORT_NAME},南昌市,服务外包企业总数,2010年,{{value}},家,,,,,added by staff\n")


def recipes(path: Path) -> Counter[str]:
    """How many documents the fact table holds under each extraction recipe."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return Counter(r[0] for r in conn.execute("SELECT recipe FROM fact_docs"))
    finally:
        conn.close()


def facts_per_doc(settings: Settings) -> dict[str, int]:
    store = FactStore(settings.facts_path)
    try:
        return dict(Counter(f.doc_id for f in store.all()))
    finally:
        store.close()


def kill_mid_rebuild(env: dict[str, str], facts_db: Path, old: str) -> bool:
    """Start an ingest that rebuilds the fact table; SIGKILL it once some documents moved."""
    proc = subprocess.Popen([REPORTBOT, "ingest", "--quiet"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None:
        counts = recipes(facts_db)
        if len(counts) > 1 and counts[old] > 0:  # some documents rebuilt, some not yet
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.001)
    return False


@pytest.mark.slow
def test_kill_9_mid_fact_rebuild_keeps_answers_and_the_next_run_completes(
        tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path / "corpus")
    for i in range(NOTES):
        (corpus / f"note-{i:03d}.txt").write_text(
            f"南昌市第{i}号通知：2011年计划新增服务外包企业{i + 1}家，培训人员{(i + 1) * 10}人。",
            encoding="utf-8")
    env = app_env(tmp_path)
    settings = make_settings(tmp_path)
    first = subprocess.run([REPORTBOT, "ingest", "--quiet"], env=env, capture_output=True,
                           text=True, timeout=600)
    assert f"{NOTES + 1} added" in first.stdout, first.stderr
    before = facts_per_doc(settings)
    killed = False
    for attempt in range(5):  # a curated-table change makes every document's facts stale
        (old,) = recipes(settings.facts_path)
        (corpus / "facts.csv").write_text(CURATED.format(value=500 + attempt), "utf-8")
        if kill_mid_rebuild(env, settings.facts_path, old):
            killed = True
            break
    assert killed, "the rebuild always finished before it could be killed"
    print(f"\nkilled mid-rebuild on attempt {attempt + 1}: {dict(recipes(settings.facts_path))}")

    # Each document holds one whole version of its facts: the old one or the new one.
    counts = recipes(settings.facts_path)
    assert sum(counts.values()) == NOTES + 1 and len(counts) == 2
    after = facts_per_doc(settings)
    assert {d: n for d, n in after.items() if d != REPORT_NAME} == {
        d: n for d, n in before.items() if d != REPORT_NAME}
    assert after[REPORT_NAME] in (before[REPORT_NAME], before[REPORT_NAME] + 1)

    answer = open_pipeline(settings).answer("2010年南昌市新增多少家服务外包企业？")
    assert "188家" in answer.answer and not answer.refused
    assert [n.status for n in answer.numbers if n.text == "188家"] == ["verified"]

    done = subprocess.run([REPORTBOT, "ingest", "--quiet"], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0 and "0 failed" in done.stdout, done.stderr
    assert f"{NOTES + 1} unchanged" in done.stdout and "0 chunks" in done.stdout
    assert len(recipes(settings.facts_path)) == 1
    bot = Reportbot(settings)
    fresh = {d.doc_id: d.sha256 for d in bot.catalog.documents()}
    assert all(bot.facts.indexed_hash(d) == sha for d, sha in fresh.items())
    assert [f.value for f in bot.facts.lookup(metric="服务外包企业总数")] == [500 + attempt]
