"""Text as the words search compares: Korean morphemes, English stems.

Korean writes compound nouns as one word and attaches particles to them (녹색아파트조성사업,
태양광발전소를). Kiwi splits such a word into its morphemes (녹색 · 아파트 · 조성 · 사업,
태양광 · 발전소 · 를); search keeps the content morphemes (nouns, roots, verb and adjective
stems, numbers, foreign words) and drops particles and endings. English words are lower-cased
and stemmed with the Snowball English stemmer. Records and queries go through the same
`words()`, so a noun is found inside a compound and without its particle, on every database.

The analyser's model ships inside the `kiwipiepy_model` package: nothing is downloaded at run
time. It loads once per process (about a second), on first use.
"""

import functools
import re
from dataclasses import dataclass

# Kiwi's tags of the morphemes that carry meaning: general and proper nouns, numerals, roots,
# verb and adjective stems, foreign (Latin) words, Chinese characters, numbers, serials such as
# registration numbers, hashtags. Irregular stems are tagged like "VV-I".
KEPT = {"NNG", "NNP", "NR", "XR", "VV", "VA", "SL", "SH", "SN", "W_SERIAL", "W_HASHTAG"}
NOUNS = {"NNG", "NNP"}
# Nouns of at least this many syllables may be dictionary compounds worth splitting.
COMPOUND = 4
# Readings of a long noun looked at for its parts.
READINGS = 8
# At most this many groups of a query count (words, or phrases in quotes).
QUERY_GROUPS = 8
PHRASE = re.compile(r'"([^"]*)"')


@functools.cache
def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()


def analyser_load() -> None:
    """Loads the analyser's model now (it takes seconds): a web process calls this as it
    starts, so that no request that saves a record waits for it (the first analysis builds
    the model's tables: seconds more)."""
    words("광주광역시 열린정부 시민참여")


@functools.cache
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def _normal(form: str, tag: str) -> str:
    form = "".join(form.split())
    if tag == "SL":
        return _stemmer().stemWord(form.lower())
    return form.lower()


@functools.lru_cache(maxsize=20000)
def _parts(form: str) -> tuple[str, ...]:
    """The nouns a long noun is made of (에너지협동조합 → 에너지 · 협동 · 조합): the finest of
    the analyser's readings of the word alone that is all nouns of two syllables or more;
    else nothing. The same word splits the same way wherever it stands."""
    splits = [
        tuple(t.form for t in tokens)
        for tokens, _score in _kiwi().analyze(form, top_n=READINGS)
        if all(t.tag in NOUNS and len(t.form) > 1 for t in tokens)
    ]
    finest = max(splits, key=len, default=())
    return finest if len(finest) > 1 else ()


# Longer runs of letters are no words anyone searches for (a pasted string, an encoded file);
# PostgreSQL refuses a word of more than 2,047 bytes in a tsvector.
LONGEST_WORD = 100


def words(text: str) -> list[str]:
    """The search words of `text`, in order; a long dictionary compound stands as the nouns it
    is made of, as the analyser may also read it in another sentence."""
    if not text or not text.strip():
        return []
    found = []
    for token in _kiwi().tokenize(text):
        tag = token.tag.split("-")[0]
        if tag in KEPT and (word := _normal(token.form, tag)) and len(word) <= LONGEST_WORD:
            parts = _parts(word) if tag in NOUNS and len(word) >= COMPOUND else ()
            found += parts or [word]
    return found


def document(*, title: str, body: str) -> str:
    """A record's words as stored: " title words \\n body words " (the title first, so it can be
    told apart; a space on each side of every word, so a word or phrase matches whole)."""
    return f" {' '.join(words(title))} \n {' '.join(words(body))} "


def title_and_body(value: str) -> tuple[list[str], list[str]]:
    title, _, body = value.partition("\n")
    return title.split(), body.split()


@dataclass(frozen=True)
class Query:
    """What a visitor searched for: groups that must all match. A group is one word, or the
    words of a phrase in quotes, which must stand next to each other in that order."""

    groups: tuple[tuple[str, ...], ...]

    @classmethod
    def parse(cls, text: str) -> "Query":
        if text.count('"') % 2:  # an unclosed quote stands for nothing
            head, _, tail = text.rpartition('"')
            text = f"{head} {tail}"
        groups = [tuple(words(phrase)) for phrase in PHRASE.findall(text)]
        groups += [(word,) for word in words(PHRASE.sub(" ", text))]
        unique = list(dict.fromkeys(group for group in groups if group))
        return cls(tuple(unique[:QUERY_GROUPS]))

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def words(self) -> set[str]:
        return {word for group in self.groups for word in group}
