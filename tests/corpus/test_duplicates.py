import pandas as pd
from newsframe.corpus import duplicates, ids


def test_duplicate_key_is_equal_for_equal_texts_only():
    texts = pd.Series(["L\u2019Afrique", "L\u2019Afrique", "l\u2019Afrique", None], dtype="string")
    keys = duplicates.duplicate_key(ids.text_digests(texts))
    assert keys[0] == keys[1]
    assert keys[1] != keys[2]
    assert keys.dtype == "int64"


def _articles(rows):
    """Articles from (article_id, published, url, text) rows, in input order."""
    frame = pd.DataFrame(rows, columns=["article_id", "published", "url", "text"]).astype(
        {"article_id": "string", "url": "string", "text": "string"})
    return frame.assign(published=pd.to_datetime(frame["published"], utc=True),
                        origin=[f"feed.xml#item={i}" for i in range(len(frame))])


def _flagged(rows):
    articles = _articles(rows)
    return duplicates.flag(articles, duplicates.duplicate_key(ids.text_digests(articles["text"])))["duplicate_of"]


def test_exact_duplicates_point_at_the_earliest_copy():
    flagged = _flagged([("b", "2025-02-02", None, "Même texte."), ("a", "2025-02-01", None, "Même texte."),
                        ("c", "2025-02-03", None, "Autre texte.")])
    assert flagged.tolist() == ["a", pd.NA, pd.NA]


def test_older_versions_of_a_url_point_at_the_latest_whatever_their_text():
    flagged = _flagged([
        ("v1", "2025-02-01 08:00", "https://rfi.fr/a", "Premier état de l'article."),
        ("v3", "2025-02-01 18:00", "https://rfi.fr/a", "Troisième état, complété le soir."),
        ("v2", "2025-02-01 12:00", "https://rfi.fr/a", "Deuxième état."),
        ("other", "2025-02-01 12:00", "https://rfi.fr/b", "Premier état de l'article."),
    ])
    assert flagged.tolist() == ["v3", pd.NA, "v3", pd.NA]  # `other` shares v1's text, but v1 is no longer kept


def test_versions_with_one_date_keep_the_last_read():
    flagged = _flagged([("s1", "2025-02-01", "https://x/1", "Texte du lundi."),
                        ("s2", "2025-02-01", "https://x/1", "Texte du mardi.")])
    assert flagged.tolist() == ["s2", pd.NA]


def test_a_url_shared_by_many_records_is_no_article_address():
    rows = [(f"id{i}", f"2025-02-{i + 1:02d}", "https://example.org/", f"Article numéro {i}.")
            for i in range(duplicates.MAX_VERSIONS + 1)]
    assert _flagged(rows).isna().all()


def test_missing_and_empty_urls_are_not_versions():
    flagged = _flagged([("a", "2025-02-01", None, "Un."), ("b", "2025-02-02", None, "Deux."),
                        ("c", "2025-02-01", "", "Trois."), ("d", "2025-02-02", "", "Quatre.")])
    assert flagged.isna().all()


def test_versions_of_an_exact_duplicate_point_at_the_copy_kept():
    flagged = _flagged([("orig", "2025-02-01", "https://a/1", "Le texte final."),
                        ("old", "2025-02-02", "https://b/2", "Le premier texte."),
                        ("new", "2025-02-03", "https://b/2", "Le texte final.")])
    assert flagged.tolist() == [pd.NA, "orig", "orig"]


def test_origins_are_asked_only_for_texts_held_more_than_once():
    articles = _articles([("a", "2025-02-01", None, "Un."), ("b", "2025-02-01", None, "Deux."),
                          ("c", "2025-02-01", None, "Un."), ("d", "2025-02-02", "https://x/1", "Trois."),
                          ("e", "2025-02-03", "https://x/1", "Deux.")])
    keys = duplicates.duplicate_key(ids.text_digests(articles["text"]))
    asked = []

    def origin_of(rows):
        asked.append(rows.tolist())
        return articles["origin"].to_numpy()[rows]

    published = articles["published"].dt.as_unit("us").astype("int64").to_numpy()
    target = duplicates.pointers(published, duplicates.url_keys(articles["url"]), keys,
                                 pd.factorize(articles["article_id"])[0], origin_of=origin_of)
    # d is an older version of e; of the texts left, "Un." is held twice (a, c) and "Deux." twice (b, e)
    assert asked == [[0, 1, 2, 4]]
    assert target.tolist() == [-1, -1, 0, 1, 1]  # d's latest version, e, copies b: d points on at b


def test_url_keys_are_equal_for_equal_urls_and_zero_for_none():
    keys = duplicates.url_keys(pd.Series(["https://rfi.fr/a", None, "", "https://rfi.fr/a", "https://rfi.fr/b"],
                                         dtype="string[pyarrow]"))
    assert keys[0] == keys[3] != keys[4]
    assert keys[1] == keys[2] == 0 and keys[0] != 0
