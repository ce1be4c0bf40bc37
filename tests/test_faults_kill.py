"""A watch cycle killed with SIGKILL at chosen moments of collecting, reading and the warning
stage, then resumed: the store ends exactly as after an uninterrupted run, on SQLite and
PostgreSQL. Nothing is lost (feed items, readings, stories, incidents, alert deliveries) and
nothing is stored twice."""

from __future__ import annotations

from kelisim.store import Store

if __package__:
    from .faults_support import delivered, feed, hook, kill_then_resume, reference  # noqa: F401
else:
    from faults_support import delivered, feed, hook, kill_then_resume, reference  # noqa: F401


def test_a_kill_after_the_feed_was_fetched_loses_no_item(store_url, feed, hook, reference):
    # The feed's ETag came with the feed; its items are not stored yet. Had the ETag been
    # kept, the next poll would be told 304 and the items would never be stored.
    at_kill, found = kill_then_resume(store_url, feed, hook, r"^INSERT INTO documents")
    assert at_kill["documents"] == 0
    assert found == reference
    with Store.open(store_url) as store:
        assert store.validators.get(feed.url("/rss")) == ('"feed-1"', None)
    keys = delivered(hook)
    assert len(keys) == len(set(keys)) == sum(1 for d in found["deliveries"] if d[2] == "sent") > 0


def test_a_kill_between_two_chunks_of_a_feed(store_url, feed, hook, reference):
    at_kill, found = kill_then_resume(store_url, feed, hook, r"^INSERT INTO documents", nth=2,
                                      batch_size=4)
    assert at_kill["documents"] == 4
    assert found == reference


def test_a_kill_while_reading(store_url, feed, hook, reference):
    at_kill, found = kill_then_resume(store_url, feed, hook, r"^INSERT INTO mentions")
    assert at_kill["documents"] == 10 and at_kill["readings"] == 0
    assert found == reference
