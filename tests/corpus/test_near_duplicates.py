"""Near-duplicates: wire copies and print/web versions are grouped into stories; different articles are not."""

import numpy as np
import pandas as pd
import pytest
from newsframe import corpus, ingest
from newsframe.corpus import near_duplicates, schema

from tests.conftest import shared_data_dir

DATA = shared_data_dir()
needs = pytest.mark.skipif(not DATA.is_dir(), reason="the shared test data is not on this machine")

WIRE = [
    "Le président du Conseil togolais a reçu mardi à Lomé l'envoyé spécial de Moscou pour l'Afrique, avec qui il a "
    "évoqué la coopération militaire et l'aide alimentaire promise l'an dernier lors du sommet de Saint-Pétersbourg.",
    "Selon un communiqué de la présidence, les deux hommes ont aussi parlé d'un accord sur les engrais, que la "
    "Russie livrerait à prix réduit dès la prochaine saison des pluies, et d'un projet de centrale électrique au nord "
    "du pays.",
    "L'opposition togolaise dénonce depuis des mois un rapprochement qu'elle juge opaque, et réclame que le Parlement "
    "soit consulté avant la signature de tout accord de défense avec une puissance étrangère.",
    "À Paris, le Quai d'Orsay s'est refusé à tout commentaire, rappelant seulement que la France restait « un "
    "partenaire de long terme » du Togo et de l'ensemble des pays d'Afrique de l'Ouest.",
    "L'envoyé russe doit poursuivre sa tournée jeudi au Bénin puis au Burkina Faso, où Moscou a déjà installé des "
    "instructeurs militaires depuis le départ des troupes françaises il y a deux ans.",
]
OTHER = [  # the same news, written by another newsroom: shares the subject and names, not the text
    "Moscou pousse ses pions en Afrique de l'Ouest. Mardi, c'est à Lomé que l'émissaire russe a été accueilli par le "
    "chef du Conseil, pour des discussions dont peu de choses ont filtré.",
    "La présidence togolaise évoque une coopération « élargie », de la sécurité à l'agriculture ; des diplomates "
    "occidentaux s'inquiètent en privé d'un accord militaire négocié sans débat public.",
    "Après le Togo, l'émissaire est attendu au Bénin et au Burkina Faso, où des instructeurs russes sont présents "
    "depuis le retrait des soldats français.",
]


def frame(rows):
    """Articles from (article_id, published, title, text) rows, typed as a corpus types them."""
    found = pd.DataFrame(rows, columns=["article_id", "published", "title", "text"])
    return found.astype({"article_id": "string", "title": "string", "text": "string"}).assign(
        published=pd.to_datetime(found["published"], utc=True))


def stories_of(rows, **options):
    stories, pairs = near_duplicates.find(frame(rows), **options)
    return dict(zip(stories["article_id"], stories["story_id"], strict=True)), stories, pairs


def test_a_retitled_trimmed_and_signed_wire_copy_is_the_same_story_and_another_newsroom_is_not():
    story, stories, pairs = stories_of([
        ("afp", "2025-11-18 09:00", "Togo : Moscou reçu à Lomé", "\n\n".join(WIRE)),
        ("rfi", "2025-11-18 15:00", "Le Togo reçoit l'envoyé de Moscou",
         "Par notre correspondant, avec AFP\n\n" + "\n\n".join(WIRE[:4])),
        ("lemonde", "2025-11-19 08:00", "En Afrique de l'Ouest, la Russie avance au Togo", "\n\n".join(OTHER)),
    ])
    assert story == {"afp": "afp", "rfi": "afp"}
    similarity = stories.set_index("article_id")["story_similarity"]
    assert similarity["afp"] == 1.0 and 0.5 <= similarity["rfi"] < 1.0
    assert pairs[["article_id", "other_id"]].values.tolist() == [["afp", "rfi"]]
    assert pairs["days_apart"].iloc[0] == pytest.approx(0.25)


def test_case_accents_and_apostrophes_do_not_separate_copies():
    typed = "\n\n".join(WIRE)
    retyped = typed.upper().replace("É", "E").replace("'", "\u2019")
    story, _, pairs = stories_of([("a", "2025-11-18", "Togo", typed), ("b", "2025-11-18", "TOGO", retyped)])
    assert story == {"a": "a", "b": "a"} and pairs["jaccard"].iloc[0] == pytest.approx(1.0)


def test_copies_further_apart_than_the_window_are_separate_stories():
    rows = [("a", "2025-11-18", "Togo", "\n\n".join(WIRE)), ("b", "2025-11-23", "Togo", "\n\n".join(WIRE))]
    assert stories_of(rows)[0] == {}
    assert stories_of(rows, window_days=7)[0] == {"a": "a", "b": "a"}


def test_the_threshold_decides_whether_an_update_joins_its_story():
    update = "\n\n".join([OTHER[0], WIRE[0], WIRE[1], OTHER[1], OTHER[2]])  # a new lead and two paragraphs kept
    rows = [("first", "2025-11-18 09:00", "Togo", "\n\n".join(WIRE)), ("update", "2025-11-18 18:00", "Togo", update)]
    similarity = near_duplicates.jaccard(*_sets(rows), np.array([0]), np.array([1]))[0]
    assert 0.2 < similarity < 0.5
    assert stories_of(rows)[0] == {}
    assert stories_of(rows, threshold=0.2)[0] == {"first": "first", "update": "first"}


def _sets(rows):
    values, counts = near_duplicates.shingle_sets(frame(rows))
    return values, np.concatenate([[0], np.cumsum(counts)])


def test_feed_items_sharing_only_a_template_description_are_not_copies():
    template = ("Découvrez le défilé {} - Prêt à porter Automne-Hiver 25-26. Retrouvez tous les looks du show en "
                "photo ainsi que les coulisses, les détails et l'ambiance de la présentation.")
    rows = [(name, f"2025-02-10 0{i}:00", f"Défilé - {name} - Prêt à porter Automne-Hiver 25-26",
             template.format(name)) for i, name in enumerate(["Theophilio", "Monse", "Luar"])]
    rows.append(("Monse again", "2025-02-10 05:00", rows[1][2], rows[1][3]))  # the same item under another URL
    assert stories_of(rows)[0] == {"Monse": "Monse", "Monse again": "Monse"}


def test_stories_do_not_depend_on_row_order_and_chain_through_copies():
    rows = [("a", "2025-11-18 09:00", "T", "\n\n".join(WIRE)),
            ("b", "2025-11-18 10:00", "T", "\n\n".join(WIRE[:4])),
            ("c", "2025-11-18 11:00", "T", "\n\n".join(WIRE[1:4])),
            ("x", "2025-11-18 12:00", "T", "\n\n".join(OTHER))]
    first = stories_of(rows)[1]
    shuffled = stories_of([rows[i] for i in (3, 2, 0, 1)])[1]
    assert first.sort_values("article_id").values.tolist() == shuffled.sort_values("article_id").values.tolist()
    assert set(first["story_id"]) == {"a"} and len(first) == 3


def test_a_bucket_of_thousands_gives_a_star_of_candidates_not_all_their_pairs():
    rows = 3_000  # one band key shared by all, within the window: a template printed thousands of times
    keys = np.zeros((rows, 2), np.uint32)
    keys[rows // 2 :, 1] = 7  # the second band splits them in two
    ci, cj = near_duplicates._candidates(keys, np.arange(rows + 1), np.zeros(rows, np.int64), window_us=1)
    assert len(ci) < 2 * rows  # all their pairs would be 4.5 million
    assert (ci < cj).all() and set(ci[cj < rows // 2]) == {0}
    label = pd.Series(ci).groupby(cj).min()
    assert label.index.tolist() == list(range(1, rows)) and set(label) == {0}  # one component, as a clique gives


def test_a_star_in_a_large_bucket_gives_the_stories_all_pairs_give(monkeypatch):
    day = pd.Timestamp("2025-11-18 09:00")
    copies = [(f"w{i}", str(day + pd.Timedelta(hours=i)), "Lomé", "\n\n".join(WIRE) + f" Dépêche {i}.")
              for i in range(40)]  # one wire story, reprinted with a signature
    updates = [(f"u{i}", str(day + pd.Timedelta(days=5, hours=i)), "Lomé", "\n\n".join(WIRE[1:4]) + f" Maj {i}.")
               for i in range(30)]  # another story five days later: the window splits the bucket
    others = [(f"x{i}", str(day + pd.Timedelta(hours=i)), "Ailleurs", OTHER[i % 3] + f" Numéro {i}.")
              for i in range(20)]
    rows = copies + updates + others
    story, stories, pairs = stories_of(rows)
    monkeypatch.setattr(near_duplicates, "MAX_BUCKET", 4)
    starred, stories_starred, pairs_starred = stories_of(rows)
    assert starred == story
    assert stories_starred.set_index("article_id")["story_similarity"].equals(
        stories.set_index("article_id")["story_similarity"])
    assert len(pairs_starred) < len(pairs)
    together = pairs.merge(pairs_starred, on=["article_id", "other_id"])
    assert len(together) == len(pairs_starred) and (together["jaccard_x"] == together["jaccard_y"]).all()


def test_jaccard_is_exact():
    rng = np.random.default_rng(3)
    sets = [np.unique(rng.integers(0, 400, size=rng.integers(0, 300))).astype(np.uint32) for _ in range(40)]
    values, offsets = np.concatenate(sets), np.concatenate([[0], np.cumsum([len(s) for s in sets])])
    i, j = rng.integers(0, 40, size=200), rng.integers(0, 40, size=200)
    expected = [len(set(sets[a]) & set(sets[b])) / max(1, len(set(sets[a]) | set(sets[b])))
                for a, b in zip(i, j, strict=True)]
    assert near_duplicates.jaccard(values, offsets, i, j, chunk=500) == pytest.approx(expected)


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8])
def test_lsh_bands_catch_a_pair_at_the_threshold_99_times_in_100(threshold):
    bands, rows = near_duplicates.lsh_parameters(threshold, near_duplicates.SIGNATURE)
    assert bands * rows <= near_duplicates.SIGNATURE
    assert 1 - (1 - threshold**rows) ** bands >= 0.99


def test_flag_sets_stories_and_exact_copies_join_the_story_of_the_article_they_point_at():
    articles = frame([("afp", "2025-11-18 09:00", "Togo", "\n\n".join(WIRE)),
                      ("rfi", "2025-11-18 15:00", "Togo", "\n\n".join(WIRE[:4])),
                      ("rfi-again", "2025-11-19 15:00", "Togo", "\n\n".join(WIRE[:4])),
                      ("alone", "2025-11-19 15:00", "Autre", "\n\n".join(OTHER))])
    articles = articles.assign(duplicate_of=pd.array([None, None, "rfi", None], dtype="string"))
    flagged, pairs = near_duplicates.flag(articles)
    assert flagged["story_id"].tolist() == ["afp", "afp", "afp", "alone"]
    assert flagged["story_similarity"].isna().tolist() == [False, False, True, True]
    assert len(pairs) == 1  # the exact copy is not compared again


def test_an_older_corpus_gets_one_story_per_article():
    old = schema.empty_articles().drop(columns=["story_id", "story_similarity"])
    old = pd.concat([old, pd.DataFrame({"article_id": ["a"], "source": ["S"]})]).astype({"article_id": "string"})
    upgraded = schema.upgrade(old)
    assert upgraded["story_id"].tolist() == ["a"] and upgraded["story_similarity"].isna().all()


def test_ingest_keeps_the_latest_snapshot_of_a_feed_item_and_stores_the_pairs(tmp_path):
    def snapshot(day, text):
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>RFI Afrique</title><item>'
                f"<title>Le Togo reçoit l'envoyé de Moscou</title><link>https://www.rfi.fr/fr/afrique/togo-russie</link>"
                f"<pubDate>{day} Nov 2025 09:00:00 +0000</pubDate><description>{text}</description></item>"
                "</channel></rss>")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "2025-11-18.xml").write_text(snapshot("Tue, 18", "Première version : " + WIRE[0]), encoding="utf-8")
    (raw / "2025-11-19.xml").write_text(snapshot("Wed, 19", "Version complétée : " + " ".join(WIRE)),
                                        encoding="utf-8")
    (raw / "afp.csv").write_text("title,text,published,source\nTogo : Moscou reçu à Lomé,"
                                 f"\"{' '.join(WIRE)}\",2025-11-19 07:00,AFP\n", encoding="utf-8")
    out = tmp_path / "corpus.parquet"
    result = ingest.ingest([raw], out=out)
    summary = corpus.read_summary(out)
    assert (summary["read"], summary["kept"], summary["duplicates"], summary["older_versions"]) == (3, 2, 1, 1)
    kept = corpus.read(out, include_duplicates=False)
    assert kept["text"].str.startswith("Version complétée").sum() == 1
    assert kept["story_id"].nunique() == 1  # the feed's latest version copies the AFP wire
    assert summary["near_duplicates"]["stories_of_two_or_more"] == 1
    assert corpus.read_pairs(out).equals(result.pairs.reset_index(drop=True))
    assert len(corpus.read(out, count="stories")) == 1


def test_ingest_can_leave_near_duplicates_alone(tmp_path):
    (tmp_path / "a.csv").write_text("title,text,published,source\nT,\"" + " ".join(WIRE) + "\",2025-11-19,AFP\n"
                                    "T,\"" + " ".join(WIRE[:4]) + "\",2025-11-19,RFI\n", encoding="utf-8")
    result = ingest.ingest([tmp_path / "a.csv"], out=tmp_path / "c.parquet", stories=False)
    assert result.articles["story_id"].equals(result.articles["article_id"])
    assert corpus.read_summary(tmp_path / "c.parquet")["near_duplicates"] is None
    assert corpus.read_pairs(tmp_path / "c.parquet").empty


@needs
def test_the_wire_copies_of_the_nexis_uni_export_are_clustered():
    articles = ingest.read([DATA / "press-exports" / "nexis-uni-docx" / "koheiw_lexis_misc.docx"]).articles
    copies = articles[articles["story_similarity"].notna()]
    by_title = articles.set_index("title")["story_id"]
    # A Canadian Press story and three papers' versions of it, retitled, one day apart at most.
    assert by_title["Tory support steady despite controversy"] == by_title[
        "Poll suggests Conservative support holding steady despite early controversy"]
    # The Globe and Mail's print article and its web version.
    globe = articles[articles["title"] == "Morality, not economics, is what matters"]
    assert globe["source"].nunique() == 2 and globe["story_id"].nunique() == 1
    assert len(copies) >= 25 and copies["story_id"].nunique() >= 10  # about 32 pairs (press-exports/README.md)
    assert articles["story_id"].nunique() <= len(articles) - 15


@needs
def test_french_feed_items_are_grouped_only_when_they_are_the_same_item():
    articles = ingest.read([DATA / "fr-rss-2025"]).articles
    kept = articles[articles["duplicate_of"].isna()]
    copies = kept[kept["story_similarity"].notna()]
    fashion = kept[kept["title"].str.startswith("Défilé - ")]
    assert len(fashion) > 10 and fashion["story_id"].nunique() == len(fashion)  # one template, each its own show
    assert len(copies) < 0.02 * len(kept)
    jt = kept[kept["title"] == "JT du Sud du samedi 8 février"]  # one programme, in three regional feeds
    assert jt["source"].nunique() == 3 and jt["story_id"].nunique() == 1


def in_time_order(articles, chunk):
    """Stories and pairs of `near_duplicates.InTimeOrder`, fed `chunk` articles at a time, as `find` gives them."""
    ordered = articles.assign(row=np.arange(len(articles))).sort_values(["published", "row"], kind="stable")
    chunks = [ordered.iloc[start : start + chunk] for start in range(0, len(ordered), chunk)]
    finder = near_duplicates.InTimeOrder()
    for part in chunks:
        finder.add(part)
    head_of, pairs = finder.finish(pd.array(articles["article_id"], dtype="string[pyarrow]").take)
    similarity = pd.concat([finder.similarities(part) for part in chunks])
    ids = articles["article_id"].to_numpy()
    members = head_of.index.to_numpy()
    stories = pd.DataFrame({"article_id": ids[members], "story_id": ids[head_of.to_numpy()],
                            "story_similarity": similarity.reindex(articles.index[members]).to_numpy()})
    return stories.astype({"article_id": "string", "story_id": "string"}), pairs.astype(
        {"article_id": "string", "other_id": "string"})


@pytest.mark.parametrize("chunk", [1, 2, 5, 100])
def test_stories_found_a_chunk_at_a_time_in_time_order_are_those_of_the_whole(chunk):
    rows, day = [], pd.Timestamp("2025-11-01 08:00")
    for n in range(24):  # a story retold every day: each copy drops one paragraph and gains one, a chain of copies
        paragraphs = [*WIRE[n % 5 :], *WIRE[: n % 5]][:4] + [f"Paragraphe local numéro {n} du journal {n % 3}."]
        rows.append((f"c{n:02d}", str(day + pd.Timedelta(hours=20 * n)), f"Titre {n}", "\n\n".join(paragraphs)))
        rows.append((f"o{n:02d}", str(day + pd.Timedelta(hours=20 * n + 1)), "Autre", "\n\n".join(OTHER[n % 3 :])))
    articles = frame(rows).sample(frac=1, random_state=0).reset_index(drop=True)  # input order is not time order
    stories, pairs = near_duplicates.find(articles)
    found, found_pairs = in_time_order(articles, chunk)
    assert len(pairs) > 10 and stories["story_id"].nunique() < len(stories)  # chains across days, not just pairs
    pd.testing.assert_frame_equal(found_pairs, pairs)
    by_id = ["article_id"]
    pd.testing.assert_frame_equal(found.sort_values(by_id, ignore_index=True),
                                  stories.sort_values(by_id, ignore_index=True))
