"""What the catalogue reads in a curated intent's own phrasings (knowledge/phrasings/<intent>.txt):
the catalogue's official words of its English phrasings, and the special cases its phrasings ask
for. Read once per intent and lexicon: the phrasings files change only with a deploy."""
from __future__ import annotations

from collections.abc import Callable

from knowledge.catalogue_index import CatalogueIndex
from knowledge.catalogue_terms import is_english
from knowledge.content import read_phrasings
from knowledge.normalize import normalize_vietnamese

_READ: dict[tuple[str, int, str], frozenset[str]] = {}


def _once(kind: str, index: CatalogueIndex, intent: str, read: Callable[[list[str]], frozenset[str]]) -> frozenset[str]:
    key = (kind, id(index.lexicon), intent)
    if key not in _READ:
        if len(_READ) > 1000:
            _READ.clear()
        _READ[key] = read(read_phrasings(intent))
    return _READ[key]


def english_reading(index: CatalogueIndex, intent: str) -> frozenset[str]:
    """The official words the catalogue reads in the intent's English phrasings: what the intent
    covers, said in the catalogue's words."""
    return _once("english", index, intent, lambda phrasings: frozenset(
        f for p in phrasings if is_english(normalize_vietnamese(p), index.lexicon) for f in index.query_features(p)))


def asked_cases(index: CatalogueIndex, intent: str) -> frozenset[str]:
    """The special cases the intent's phrasings ask for: "chỉnh lại tên trong giấy khai sinh" is the
    correction the curated entry guides."""
    return _once("cases", index, intent, lambda phrasings: frozenset(
        v for p in phrasings for v in index.asked_variants(p)))
