"""A synthetic demo corpus, generated deterministically: French and English articles in the seed's text format.

Made up by code, not written by anyone: four invented outlets, 2022 to 2024, five planted themes about Russia–Africa
relations, and a planted burst of coverage around the Russia–Africa summit of 27 July 2023. It exists so that the
main job and the tests have a corpus with known answers; no real article text is in it.

It also holds the defects of a real corpus, planted so that the corpus overview has something to find (the constants
below say where):

- **A feed that stops.** The Daily Meridian publishes nothing after 30 June 2024 (`STOPPED_SOURCE`,
  `STOPPED_AFTER`): the last six months have about a fifth fewer articles, which no news explains.
- **A wire story reprinted.** Continental Wire's dispatch of 14 March 2023 on grain is reprinted within two days by
  The Daily Meridian and three sites that only carry wire copy (`REPRINTERS`), each with its own headline, some with
  a byline added or the last paragraphs trimmed: eight articles that are one story (`WIRE_COPIES`).
- **An exact duplicate.** One Radio Alpha item of 5 October 2022 is in the corpus twice, word for word
  (`DUPLICATE_SOURCE`, `DUPLICATE_DATE`).
- **An out-of-range date.** One article is dated 1 January 2026 (`OUT_OF_RANGE_DATE`), a year after all the others,
  as an export that fills a missing date with a default writes it: a valid date, far from the rest.
- **Very short articles.** Radio Alpha has three one-sentence flashes (`SHORT_SOURCE`, `SHORT_DATES`).
- **An impossible date.** One file is dated 31/02/2024 (`BAD_DATE_FILE`, `BAD_DATE`): ingest rejects it, with the
  reason "unparseable date".
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from newsframe.errors import InputError

__all__ = [
    "AUTHOR", "BAD_DATE", "BAD_DATE_FILE", "DUPLICATE_DATE", "DUPLICATE_SOURCE", "EVENTS", "OUT_OF_RANGE_DATE",
    "REPRINTERS", "SHORT_DATES", "SHORT_SOURCE", "STOPPED_AFTER", "STOPPED_SOURCE", "TERMS", "WIRE_COPIES",
    "WIRE_DATE", "WIRE_SOURCE", "DemoArticle", "generate", "planted", "write", "write_companions",
]

START, END = date(2022, 1, 1), date(2024, 12, 31)
EVENT_DATE = date(2023, 7, 27)
EVENT_LABEL = "Russia–Africa summit, St Petersburg"
BURST_DAYS = 10  # the burst spans this many days from the event date
BURST_EXTRA = 60  # extra summit articles planted in the burst

# The planted defects (module docstring).
# Not Le Courrier du Sahel: without its late articles, the French summit topic's top terms (near ties) come out in
# another order after a refit, and tests/analysis/test_topics.py checks that they do not.
STOPPED_SOURCE = "The Daily Meridian"  # publishes no article after STOPPED_AFTER
STOPPED_AFTER = date(2024, 6, 30)
WIRE_SOURCE = "Continental Wire"  # its dispatch of WIRE_DATE is reprinted (`_REPRINTS`)
WIRE_DATE = date(2023, 3, 14)
WIRE_THEME = "grain"
REPRINTERS = ("The Harmattan Times", "Savanna Evening Post", "Coastline Daily")  # sites that only carry wire copy
DUPLICATE_SOURCE = "Radio Alpha"  # one item of DUPLICATE_DATE is in the corpus twice, word for word
DUPLICATE_DATE = date(2022, 10, 5)
# A year after END: a missing date filled with a default by an export. After the span, not before it: an early
# straggler gives an untrimmed weekly count years of empty weeks, against which the first weeks of 2022 all spike.
# Not a future date: the future moves on, and ingest refuses dates more than a year ahead of the day it runs.
OUT_OF_RANGE_DATE = date(2026, 1, 1)
OUT_OF_RANGE_SOURCE = "Continental Wire"
SHORT_SOURCE = "Radio Alpha"  # one-sentence flashes on these days
SHORT_DATES = (date(2022, 5, 9), date(2023, 2, 20), date(2024, 9, 2))
BAD_DATE = "31/02/2024"  # no such day: ingest rejects the file
BAD_DATE_FILE = "the-daily-meridian/bad-date.txt"  # where the demo folder holds it

AUTHOR = "synthetic (newsframe demo)"  # every demo article's author: reports on the demo say it is synthetic
OUTLETS = {"Radio Alpha": "fr", "Le Courrier du Sahel": "fr", "Continental Wire": "en", "The Daily Meridian": "en"}
COUNTRIES = {
    "fr": ["le Togo", "le Mali", "le Niger", "le Burkina Faso", "la Centrafrique", "le Cameroun", "la Guinée"],
    "en": ["Togo", "Mali", "Niger", "Burkina Faso", "the Central African Republic", "Cameroon", "Guinea"],
}
# Each theme has its own vocabulary, as real coverage does, so that topic models have something to find.
THEMES: dict[str, dict[str, list[str]]] = {
    "security": {
        "fr": ["la coopération militaire", "l'Africa Corps", "la formation des soldats", "les exercices militaires",
               "la sécurité régionale", "la lutte contre le terrorisme", "les instructeurs russes", "l'armée",
               "les groupes jihadistes", "les hélicoptères de combat", "la junte", "les mercenaires",
               "les attaques armées", "le ministère de la Défense", "les livraisons d'armes", "la base aérienne"],
        "en": ["military cooperation", "Africa Corps", "troop training", "military exercises", "regional security",
               "counter-terrorism", "Russian instructors", "the army", "jihadist groups", "combat helicopters",
               "the junta", "mercenaries", "armed attacks", "the defence ministry", "arms deliveries", "the air base"],
    },
    "energy": {
        "fr": ["la centrale nucléaire", "Rosatom", "l'énergie", "l'électricité", "l'uranium", "le réacteur",
               "l'énergie atomique", "les mines", "le réseau électrique", "les coupures de courant", "le gaz",
               "le pétrole", "les ingénieurs", "la licence d'exploitation", "les gisements", "l'hydroélectricité"],
        "en": ["nuclear power plant", "Rosatom", "energy", "electricity", "uranium", "reactor", "atomic energy",
               "mining", "the power grid", "power cuts", "gas", "oil", "engineers", "the operating licence",
               "deposits", "hydropower"],
    },
    "grain": {
        "fr": ["le blé", "les céréales", "les engrais", "la sécurité alimentaire", "les exportations",
               "le prix du pain", "l'agriculture", "les récoltes", "les cargaisons", "la famine", "les agriculteurs",
               "la mer Noire", "les livraisons gratuites", "le maïs", "les ports", "la sécheresse"],
        "en": ["wheat", "grain", "fertiliser", "food security", "exports", "bread prices", "agriculture",
               "harvests", "shipments", "famine", "farmers", "the Black Sea", "free deliveries", "maize", "ports",
               "drought"],
    },
    "summit": {
        "fr": ["le sommet Russie-Afrique", "Saint-Pétersbourg", "les délégations", "la déclaration finale",
               "les chefs d'État", "Vladimir Poutine", "le partenariat stratégique", "le forum économique",
               "la séance plénière", "le protocole", "les accords bilatéraux", "la photo de famille du sommet",
               "le communiqué commun", "l'ordre du jour du sommet", "les invités du sommet", "le palais des congrès"],
        "en": ["Russia-Africa summit", "St Petersburg", "delegations", "final declaration", "heads of state",
               "Vladimir Putin", "strategic partnership", "the economic forum", "the plenary session", "protocol",
               "bilateral agreements", "the summit family photo", "the joint communiqué", "the summit agenda",
               "summit guests", "the congress hall"],
    },
    "media": {
        "fr": ["la désinformation", "Sputnik", "les réseaux sociaux", "l'influence", "RT France",
               "la guerre de l'information", "les journalistes", "la propagande", "les influenceurs",
               "les fausses nouvelles", "la télévision publique", "les campagnes en ligne", "la censure",
               "les comptes anonymes", "la radio locale", "les vidéos virales"],
        "en": ["disinformation", "Sputnik", "social media", "influence", "RT", "information war", "journalists",
               "propaganda", "influencers", "fake news", "public television", "online campaigns", "censorship",
               "anonymous accounts", "local radio", "viral videos"],
    },
}
SENTENCES = {
    "fr": [
        "Selon plusieurs sources, {country} et la Russie discutent de {a} et de {b}.",
        "Le gouvernement a confirmé que {a} et {b} restent au cœur d'un accord conclu avec Moscou.",
        "Pour les analystes, la question de {a} pèse davantage que celle de {b} dans l'Afrique d'aujourd'hui.",
        "À Moscou, on insiste sur {a}, tandis que {country} met en avant {b}.",
        "Un diplomate estime qu'il s'agit d'un tournant pour {country}, où le dossier de {a} est sensible.",
        "Les partenaires occidentaux suivent avec inquiétude le dossier de {a} et de {b} dans la région.",
        "Dans la capitale, les habitants interrogés évoquent surtout {b}, {a} et le coût de la vie.",
    ],
    "en": [
        "According to several sources, {country} and Russia are discussing {a} and {b}.",
        "The government confirmed that {a} and {b} remain at the heart of a deal reached with Moscow.",
        "For analysts, the question of {a} weighs more than {b} in today's Africa.",
        "In Moscow, officials stress {a}, while {country} highlights {b}.",
        "A diplomat said it marks a turning point for {country}, where {a} is a sensitive issue.",
        "Western partners are watching the development of {a} and {b} in the region with concern.",
        "In the capital, residents who spoke to reporters mostly mentioned {b}, {a} and the cost of living.",
    ],
}
TITLES = {
    "fr": ["{Country} : {a} au menu des discussions avec Moscou", "Russie-Afrique : le pari sur {a}",
           "{a} : ce que {country} attend de la Russie"],
    "en": ["{Country} puts {a} at the centre of talks with Moscow", "Russia and Africa: the bet on {a}",
           "{a}: what {country} wants from Russia"],
}


@dataclass(frozen=True)
class DemoArticle:
    """One generated article, before it is written as a text file."""

    published: date
    source: str
    language: str
    theme: str
    title: str
    text: str


def generate(*, seed: int = 7, articles: int = 1200) -> list[DemoArticle]:
    """Return the demo's coverage: `articles` drawn over 2022–2024 (less those of STOPPED_SOURCE after
    STOPPED_AFTER: its feed stopped) plus the planted summit burst. The other planted defects are `planted`'s."""
    rng = random.Random(seed)
    days = (END - START).days
    out = [_article(rng, START + timedelta(days=rng.randrange(days + 1)), theme=None) for _ in range(articles)]
    for _ in range(BURST_EXTRA):
        day = EVENT_DATE + timedelta(days=rng.randrange(BURST_DAYS))
        out.append(_article(rng, day, theme="summit"))
    out = [a for a in out if not (a.source == STOPPED_SOURCE and a.published > STOPPED_AFTER)]
    return sorted(out, key=lambda a: (a.published, a.source, a.title))


def planted(*, seed: int = 7) -> list[DemoArticle]:
    """Return the planted records that a real export holds beside its coverage: the wire story and its reprints,
    the item given twice, the article dated OUT_OF_RANGE_DATE and the one-sentence flashes (module docstring)."""
    rng = random.Random(f"planted {seed}")  # apart from `generate`'s, so that its articles stay as they were
    twice = _article(rng, DUPLICATE_DATE, theme=None, source=DUPLICATE_SOURCE)
    flashes = [_flash(rng, day) for day in SHORT_DATES]
    odd = _article(rng, OUT_OF_RANGE_DATE, theme=None, source=OUT_OF_RANGE_SOURCE)
    return sorted([*_wire_story(rng), twice, twice, odd, *flashes], key=lambda a: (a.published, a.source, a.title))


def write(target: str | Path, *, seed: int = 7, articles: int = 1200) -> Path:
    """Write the demo corpus (`generate`, `planted` and the file BAD_DATE_FILE) as text files under `target`, one
    folder per outlet; refuse to overwrite."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise InputError(f"{target}: already holds files; the demo corpus is only written into a new folder.")
    every = sorted(generate(seed=seed, articles=articles) + planted(seed=seed),
                   key=lambda a: (a.published, a.source, a.title))
    for number, article in enumerate(every):
        folder = target / _slug(article.source)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{article.published:%Y%m%d}-{number:05d}.txt").write_text(_as_text_file(article), encoding="utf-8")
    unreadable = _article(random.Random(f"bad date {seed}"), date(2024, 2, 28), theme=None,
                          source="The Daily Meridian")  # the outlet of BAD_DATE_FILE's folder
    (target / BAD_DATE_FILE).parent.mkdir(parents=True, exist_ok=True)
    (target / BAD_DATE_FILE).write_text(_as_text_file(unreadable, date_text=BAD_DATE), encoding="utf-8")
    (target / "_ABOUT.txt").write_text(__doc__.strip() + "\n", encoding="utf-8")
    write_companions(target)
    return target


EVENTS = [
    ("2022-02-24", "Russia invades Ukraine", ""),
    (f"{EVENT_DATE:%Y-%m-%d}", EVENT_LABEL, f"{EVENT_DATE + timedelta(days=1):%Y-%m-%d}"),
    ("2024-01-28", "Mali, Burkina Faso and Niger leave ECOWAS", ""),
]
TERMS = {
    "Russie / Russia": ["Russie", "russe*", "Moscou", "Kremlin", "Russia", "Russian*", "Moscow"],
    "sommet / summit": ["sommet", "summit"],
    "Wagner / Africa Corps": ["Wagner", "Africa Corps"],
    "Mali": ["Mali", "malien*", "Bamako"],
    "Togo": ["Togo", "togolais*", "Lomé"],
    "Niger": ["Niger", "nigérien*", "Niamey"],
    "Burkina Faso": ["Burkina Faso", "burkinab*", "Ouagadougou"],
    "céréales / grain": ["blé", "céréales", "wheat", "grain"],
}


def write_companions(target: str | Path) -> None:
    """Write the demo's events file and terms file beside its articles (`_events.csv`, `_terms.txt`) if missing.

    Their names start with `_`, so ingest leaves them out; reports use them as parameters.
    """
    target = Path(target)
    events = target / "_events.csv"
    if not events.exists():
        with events.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([("date", "label", "end_date"), *EVENTS])
    terms = target / "_terms.txt"
    if not terms.exists():
        lines = "".join(f"{name}: {', '.join(variants)}\n" for name, variants in TERMS.items())
        terms.write_text("# term groups for the demo report: `name: variant, variant, …`\n" + lines, encoding="utf-8")


def _article(rng: random.Random, day: date, *, theme: str | None, source: str = "") -> DemoArticle:
    source = source or rng.choice(list(OUTLETS))
    lang = OUTLETS[source]
    theme = theme or rng.choices(list(THEMES), weights=[3, 2, 3, 1, 2])[0]
    country = rng.choice(COUNTRIES[lang])
    terms = THEMES[theme][lang]
    title = _fill(rng.choice(TITLES[lang]), rng, terms, country)
    paragraphs = [" ".join(_fill(rng.choice(SENTENCES[lang]), rng, terms, country) for _ in range(rng.randint(2, 4)))
                  for _ in range(rng.randint(3, 5))]
    return DemoArticle(day, source, lang, theme, title, "\n\n".join(paragraphs))


# How each reprint of the wire story differs from it, besides a headline of its own: (source, days after the wire,
# byline added, paragraphs trimmed from the end). A paper that runs it twice runs it on its site, then in print.
_REPRINTS = (
    ("The Daily Meridian", 0, "By Kofi Mensah, Continental Wire", 0),
    ("The Harmattan Times", 0, "Continental Wire", 1),
    ("Savanna Evening Post", 0, "", 1),
    ("Coastline Daily", 1, "KOFI MENSAH | CONTINENTAL WIRE", 0),
    ("The Daily Meridian", 1, "By Kofi Mensah", 1),
    ("The Harmattan Times", 1, "Staff and wire reports", 0),
    ("Coastline Daily", 2, "", 2),
)
WIRE_COPIES = 1 + len(_REPRINTS)  # articles of the wire story, the wire's own included


def _wire_story(rng: random.Random) -> list[DemoArticle]:
    """Return the wire's dispatch and its reprints (`_REPRINTS`)."""
    terms, country = THEMES[WIRE_THEME]["en"], rng.choice(COUNTRIES["en"])
    paragraphs = [" ".join(_fill(rng.choice(SENTENCES["en"]), rng, terms, country) for _ in range(3))
                  for _ in range(6)]
    titles: list[str] = []
    while len(titles) < WIRE_COPIES:  # a headline of its own for each copy
        title = _fill(rng.choice(TITLES["en"]), rng, terms, country)
        titles += [title] if title not in titles else []
    out = [DemoArticle(WIRE_DATE, WIRE_SOURCE, "en", WIRE_THEME, titles[0], "\n\n".join(paragraphs))]
    for (source, days, byline, trimmed), title in zip(_REPRINTS, titles[1:], strict=True):
        body = ([byline] if byline else []) + paragraphs[: len(paragraphs) - trimmed]
        out.append(DemoArticle(WIRE_DATE + timedelta(days=days), source, "en", WIRE_THEME, title, "\n\n".join(body)))
    return out


def _flash(rng: random.Random, day: date) -> DemoArticle:
    """Return a one-sentence news flash of SHORT_SOURCE."""
    lang = OUTLETS[SHORT_SOURCE]
    theme, country = rng.choice(list(THEMES)), rng.choice(COUNTRIES[lang])
    terms = THEMES[theme][lang]
    return DemoArticle(day, SHORT_SOURCE, lang, theme, _fill(rng.choice(TITLES[lang]), rng, terms, country),
                       _fill(rng.choice(SENTENCES[lang]), rng, terms, country))


def _fill(template: str, rng: random.Random, terms: list[str], country: str) -> str:
    a, b = rng.sample(terms, 2)
    text = template.format(a=a, b=b, country=country, Country=_capital(_bare(country)))
    for loose, contracted in _CONTRACTIONS:
        text = re.sub(rf"\b{loose}", contracted, text)
    return text[0].upper() + text[1:]


# French contracts a preposition with the article that follows it: "de le blé" is written "du blé" (whole words
# only: "avec inquiétude le dossier" stays as it is).
_CONTRACTIONS = (("de le ", "du "), ("de les ", "des "), ("à le ", "au "), ("à les ", "aux "))


def _bare(country: str) -> str:
    for article in ("le ", "la ", "l'", "the "):
        if country.startswith(article):
            return country[len(article):]
    return country


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


def _as_text_file(article: DemoArticle, *, date_text: str = "") -> str:
    return (f"date {date_text or f'{article.published:%Y-%m-%d}'} {article.title}\nsource {article.source}\n"
            f"author {AUTHOR}\n\n{article.text}\n")


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
