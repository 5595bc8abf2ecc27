"""upsert_item: identity, deduplication, edits, and clustering of syndicated copies."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest

from monitor.models import Article, Document
from monitor.store import clusters
from monitor.store.items import get_item, item_for_url, upsert_item

# Fixture news texts written for these tests: a story, a syndicated copy of it on another
# site, and a different story about the same kind of inspection.
STORY = """\
Children's services in Westmorland and Furness have been judged to require improvement to be
good after inspectors spent two weeks with social workers, managers and young people in the
spring. The council had no previous grade of its own because it was only created in 2023, when
the old county council was split in two. Inspectors said that leaders understood where practice
was weakest and had recruited more permanent staff, which meant that fewer families had to tell
their story to a new worker every few months. Help for children at risk of harm was found to be
timely in most cases, although some assessments were not updated when circumstances changed.
Children in care were described as well supported by carers who knew them, but too many had
waited a long time for an assessment of their emotional health. Care leavers were positive
about their personal advisers and the new drop-in hub in Kendal, and that part of the service
was judged good. The director of children's services told councillors that the report was a
fair picture and that an improvement plan would be published before the end of the summer.
Opposition members asked for monthly updates on caseloads and on the use of agency staff, and
the cabinet member agreed to bring figures to the scrutiny committee in September.
"""

# The same story as another site ran it: another headline, a byline, a sentence added, a few
# words changed, and the site's own boilerplate.
SYNDICATED = """\
By Jo Pemberton, Local Democracy Reporting Service

Children's services in Westmorland and Furness have been judged to require improvement to be
good after inspectors spent two weeks with social workers, managers and young people in the
spring. The council had no previous grade of its own because it was only created in 2023, when
the old county council was split in two. Inspectors said that leaders understood where practice
was weakest and had recruited more permanent staff, which meant that fewer families had to tell
their story to a new worker every few months. Help for children at risk of harm was found to be
timely in most cases, although some assessments were not updated when circumstances changed.
The inspection was the first under the current framework for the authority. Children in care
were described as well supported by carers who knew them, but too many had waited a long time
for an assessment of their emotional health. Care leavers were positive about their personal
advisers and the new drop-in hub in Kendal, and that part of the service was rated good. The
director of children's services told councillors the report was a fair picture and that an
improvement plan would be published before the end of the summer. Opposition members asked for
monthly updates on caseloads and on the use of agency staff, and the cabinet member agreed to
bring figures to the scrutiny committee in September.

Sign up to our free morning newsletter for the latest local news. Share this article.
"""

# Another inspection, told in similar words: the same kind of news, not the same story.
OTHER_STORY = """\
Inspectors have judged children's services in Cumberland to require improvement to be good,
following a visit in the autumn that looked at help and protection, children in care and care
leavers. The authority was formed in 2023 and this was its first full inspection. The report
praised the stability of the leadership team and a fall in the number of children waiting for
a social worker, but said that plans for some children in care were too vague and that the
quality of supervision varied between teams. Young people leaving care told inspectors that
finding somewhere affordable to live was their biggest worry, and the report asked the council
to work more closely with district housing officers. Help and protection was judged good. The
council leader said the result showed the new authority was heading in the right direction and
thanked staff for their work during a difficult period. A spokesperson for the local parents'
group said families would want to see faster progress on waiting times for mental health
support, which they described as the most common complaint they hear.
"""


def make(
    url: str,
    text: str,
    *,
    source: str = "news",
    guid: str | None = None,
    title: str = "Inspection report published",
    canonical: str | None = None,
    published: datetime | None = None,
    kind: str = "html",
) -> tuple[Document, Article]:
    doc = Document(source=source, url=url, content=text.encode(), guid=guid, title=title)
    article = Article(
        url=url,
        canonical_url=url if canonical is None else canonical,
        title=title,
        text=text,
        published=published,
        content_kind=kind,
    )
    return doc, article


def count(db, table: str = "items") -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_new_item_is_stored_once(db, now):
    result = upsert_item(db, *make("https://a.example/news/1", STORY), now=now)
    assert result.status == "new"
    assert result.duplicate_of is None
    assert result.cluster_id == result.id
    row = get_item(db, result.id)
    assert row is not None
    assert (row["text"], row["revision"], row["first_seen"]) == (STORY, 1, now.isoformat())
    assert row["cluster_id"] == result.id
    assert count(db) == 1


def test_same_document_again_is_unchanged_and_only_touches_last_seen(db, now):
    first = upsert_item(db, *make("https://a.example/news/1", STORY), now=now)
    before = get_item(db, first.id)
    later = now + timedelta(hours=1)
    again = upsert_item(db, *make("https://a.example/news/1", STORY), now=later)
    after = get_item(db, first.id)
    assert (again.id, again.status, again.duplicate_of) == (first.id, "unchanged", None)
    assert after["last_seen"] == later.isoformat()
    assert {k: v for k, v in after.items() if k != "last_seen"} == {
        k: v for k, v in before.items() if k != "last_seen"
    }
    assert count(db) == 1


def test_cosmetic_changes_do_not_count_as_an_edit(db, now):
    first = upsert_item(db, *make("https://a.example/news/1", STORY), now=now)
    restyled = "  " + STORY.replace("\n", "  ").upper()
    again = upsert_item(db, *make("https://a.example/news/1", restyled), now=now)
    assert (again.id, again.status) == (first.id, "unchanged")


def test_edited_article_is_updated_with_a_new_revision(db, now):
    first = upsert_item(db, *make("https://a.example/news/1", STORY, guid="g1"), now=now)
    edited = STORY.replace("fair picture", "fair and balanced picture")
    later = now + timedelta(days=1)
    second = upsert_item(db, *make("https://a.example/news/1", edited, guid="g1"), now=later)
    row = get_item(db, first.id)
    assert (second.id, second.status, second.cluster_id) == (first.id, "updated", first.cluster_id)
    assert (row["revision"], row["text"], row["updated_at"]) == (2, edited, later.isoformat())
    assert row["first_seen"] == now.isoformat()
    assert count(db) == 1
    third = upsert_item(db, *make("https://a.example/news/1", edited, guid="g1"), now=later)
    assert third.status == "unchanged"


def test_changed_headline_is_an_edit(db, now):
    first = upsert_item(db, *make("https://a.example/n/1", STORY, title="Report out"), now=now)
    second = upsert_item(db, *make("https://a.example/n/1", STORY, title="Council RI"), now=now)
    assert (second.id, second.status) == (first.id, "updated")


def test_same_guid_with_changed_url_parameters_is_the_same_item(db, now):
    first = upsert_item(
        db, *make("https://a.example/story?id=7&ref=rss", STORY, guid="urn:story:7"), now=now
    )
    second = upsert_item(
        db, *make("https://a.example/story?id=7&ref=home", STORY, guid="urn:story:7"), now=now
    )
    assert (second.id, second.status, second.duplicate_of) == (first.id, "unchanged", None)
    assert count(db) == 1
    # Both URLs now name the item, so a source asking about either knows it.
    assert item_for_url(db, "https://a.example/story?id=7&ref=home") == first.id


@pytest.mark.parametrize(
    ("second_url", "second_canonical", "second_text"),
    [
        pytest.param("https://b.example/feed/x?utm_source=rss", "https://a.example/news/1", STORY,
                     id="same-canonical-url"),
        pytest.param("https://mirror.example/copy", None, STORY, id="same-content"),
        pytest.param("https://b.example/x", "https://a.example/news/1", OTHER_STORY,
                     id="same-canonical-other-text-is-not-rewritten"),
    ],
)  # fmt: skip
def test_copy_from_another_source_is_a_duplicate(
    db, now, second_url, second_canonical, second_text
):
    first = upsert_item(db, *make("https://a.example/news/1", STORY, source="paper"), now=now)
    copy = upsert_item(
        db,
        *make(second_url, second_text, source="aggregator", canonical=second_canonical),
        now=now,
    )
    assert (copy.id, copy.status, copy.duplicate_of) == (first.id, "unchanged", first.id)
    assert get_item(db, first.id)["text"] == STORY
    assert count(db) == 1
    # The copy's own URL now leads to the item too.
    assert item_for_url(db, second_url) == first.id


def test_entries_of_one_feed_sharing_a_link_are_different_items(db, now):
    link = "https://a.example/"
    first = upsert_item(db, *make(link, STORY, guid="entry-1"), now=now)
    second = upsert_item(db, *make(link, OTHER_STORY, guid="entry-2"), now=now)
    assert second.status == "new"
    assert second.id != first.id
    assert count(db) == 2


def test_without_guid_or_canonical_url_the_title_and_date_identify_an_item(db, now):
    day = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    args = {"canonical": "", "title": "Ofsted letter", "published": day}
    first = upsert_item(db, *make("https://a.example/x?session=1", STORY, **args), now=now)
    edited = STORY + " A correction was added."
    second = upsert_item(db, *make("https://a.example/x?session=2", edited, **args), now=now)
    assert (second.id, second.status) == (first.id, "updated")


def test_published_is_stored_in_utc(db, now):
    bst = timezone(timedelta(hours=1))
    result = upsert_item(
        db,
        *make("https://a.example/n", STORY, published=datetime(2026, 7, 15, 10, 0, tzinfo=bst)),
        now=now,
    )
    assert get_item(db, result.id)["published"] == "2026-07-15T09:00:00+00:00"


def test_syndicated_copy_joins_the_first_items_cluster(db, now):
    original = upsert_item(
        db, *make("https://localpaper.example/news/1", STORY, source="paper"), now=now
    )
    copy = upsert_item(
        db,
        *make(
            "https://regionalnews.example/2026/11/inspection",
            SYNDICATED,
            source="regional",
            title="Inspectors say council services must improve",
        ),
        now=now,
    )
    other = upsert_item(
        db, *make("https://localpaper.example/news/2", OTHER_STORY, source="paper"), now=now
    )
    assert copy.status == "new"
    assert copy.id != original.id
    assert copy.duplicate_of is None
    assert copy.cluster_id == original.id
    assert get_item(db, copy.id)["cluster_id"] == original.id
    assert other.cluster_id == other.id


def test_copy_of_a_copy_joins_the_same_cluster(db, now):
    original = upsert_item(db, *make("https://a.example/1", STORY, source="a"), now=now)
    upsert_item(db, *make("https://b.example/1", SYNDICATED, source="b"), now=now)
    third_text = SYNDICATED.replace("Share this article.", "Comments are closed.")
    third = upsert_item(db, *make("https://c.example/1", third_text, source="c"), now=now)
    assert third.cluster_id == original.id


def test_reports_are_not_clustered(db, now):
    upsert_item(db, *make("https://a.example/1", STORY, kind="pdf"), now=now)
    report = upsert_item(db, *make("https://b.example/1", SYNDICATED, kind="pdf"), now=now)
    assert report.cluster_id == report.id
    assert count(db, "item_bands") == 0


def test_short_texts_are_not_clustered(db, now):
    upsert_item(db, *make("https://a.example/1", "Stockport rated good by Ofsted"), now=now)
    short_doc = make("https://b.example/1", "Stockport rated good by inspectors")
    short = upsert_item(db, *short_doc, now=now)
    assert short.cluster_id == short.id
    assert count(db, "item_bands") == 0


def test_an_edit_replaces_the_band_keys(db, now):
    first = upsert_item(db, *make("https://a.example/1", STORY, guid="g"), now=now)
    upsert_item(db, *make("https://a.example/1", OTHER_STORY, guid="g"), now=now)
    stored = {
        (band, key)
        for band, key in db.execute(
            "SELECT band, hash FROM item_bands WHERE item_id = ?", [first.id]
        ).fetchall()
    }
    sig = clusters.signature(OTHER_STORY)
    assert sig is not None
    assert stored == set(clusters.band_keys(sig))


def _random_text(rng: random.Random, vocabulary: list[str]) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(rng.randrange(80, 250)))


def test_a_thousand_distinct_items_do_not_cluster(db, now):
    rng = random.Random(2026)
    # A small vocabulary, so that texts share many words (as news on one topic does).
    vocabulary = sorted(set(clusters.words(STORY + OTHER_STORY)))
    results = []
    with db.atomic():
        for i in range(1000):
            text = _random_text(rng, vocabulary)
            results.append(upsert_item(db, *make(f"https://r.example/{i}", text), now=now))
    assert [r.status for r in results] == ["new"] * 1000
    assert all(r.cluster_id == r.id for r in results)
    assert count(db) == 1000


def test_upsert_is_undone_with_a_failing_outer_transaction(db, now):
    with pytest.raises(RuntimeError), db.atomic():
        upsert_item(db, *make("https://a.example/1", STORY), now=now)
        raise RuntimeError("the pipeline failed after storing")
    assert [count(db, t) for t in ("items", "item_keys", "item_bands")] == [0, 0, 0]
    assert upsert_item(db, *make("https://a.example/1", STORY), now=now).status == "new"


def test_upserts_inside_one_outer_transaction_see_each_other(db, now):
    with db.atomic():
        first = upsert_item(db, *make("https://a.example/1", STORY), now=now)
        second = upsert_item(db, *make("https://a.example/1", STORY), now=now)
    assert (second.id, second.status) == (first.id, "unchanged")


@pytest.mark.parametrize("replaced", [0.02, 0.1, 0.25, 0.5])
def test_signature_similarity_tracks_the_true_jaccard(replaced):
    rng = random.Random(int(replaced * 1000))
    base = [f"w{rng.randrange(5000)}" for _ in range(300)]
    variant = [f"x{rng.randrange(5000)}" if rng.random() < replaced else w for w in base]
    a, b = clusters.shingles(base), clusters.shingles(variant)
    exact = len(a & b) / len(a | b)
    sig_a, sig_b = clusters.signature(" ".join(base)), clusters.signature(" ".join(variant))
    assert sig_a is not None and sig_b is not None
    assert abs(clusters.similarity(sig_a, sig_b) - exact) < 0.12
