"""Stop words for French and English news, folded as `words.fold` folds every word (lower case, no accents).

Function words of both languages, plus the boilerplate news sites wrap around articles ("lire aussi", "abonnés",
agency names). Researchers add their own with `extra`.
"""

from __future__ import annotations

from collections.abc import Iterable

from newsframe.words import fold_word

__all__ = ["CALENDAR", "ENGLISH", "FILLERS", "FRENCH", "NEWS_BOILERPLATE", "words"]

FRENCH = frozenset("""
a afin ai aie aient ainsi alors apres as au aucun aucune aupres auquel aura aurait aussi autre autres aux avaient
avait avant avec avoir ayant c ca car ce ceci cela celle celles celui cependant certains ces cet cette ceux chacun
chaque chez ci comme comment contre d dans de deja depuis des desormais deux devant doit donc dont du elle elles en
encore entre est et etaient etait etant ete etre eu eux fait faire fois font hors il ils j je jusqu l la laquelle le
lequel les lesquels leur leurs lors lorsqu lui m ma mais me meme memes mes moi moins mon n ne ni non nos notre nous
on ont ou par parce parmi pas pendant peu peut peuvent plus plusieurs pour pourquoi pourrait puis qu quand que quel
quelle quelles quels qui quoi sa sans se selon ses si sien soit son sont sous sur ta tandis te tel telle tes toi ton
tous tout toute toutes tres trop tu un une unes uns vers via vos votre vous y aujourd hui
""".split())
ENGLISH = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once
only or other our ours ourselves out over own s said same she should so some such t than that the their theirs them
themselves then there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves don doesn didn isn aren wasn weren
won ll ve re
""".split())
# Days and months: every dated news text names them, so they say when, not what (the week of a spike would
# otherwise have "lundi" as its key term).
CALENDAR = frozenset("""
lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin juillet aout septembre
octobre novembre decembre monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
""".split())
NEWS_BOILERPLATE = frozenset("""
lire aussi abonnes abonne article articles afp reuters ap photo photos video videos credit copyright newsletter
cliquez ici publie mis jour read more subscribe subscribers getty images tass xinhua ria novosti dpa efe ansa upi
""".split())
# Words every news text uses whatever it is about, which led topic labels on the real sets: reporting verbs
# ("says") and ages ("45 ans"). Not "us": folded, it is also "US", an actor of the news.
FILLERS = frozenset("""
says ans
""".split())


def words(*, extra: Iterable[str] = ()) -> frozenset[str]:
    """Return the French and English stop words, days and months, news boilerplate, fillers and `extra` words
    (folded)."""
    return FRENCH | ENGLISH | CALENDAR | NEWS_BOILERPLATE | FILLERS | {fold_word(w) for w in extra}
