"""What an output folder remembers between builds, so only new or changed articles are extracted.

DIR/manifest.json holds the extractor fingerprint and, per article id, its
source and cache key; DIR/extractions/<id>.json holds each article's
extraction. An article is extracted again only when its cache key (a hash of
its text, title, date and URL) or the extractor fingerprint (a hash of the
extraction code, the knowledge tables and the spaCy model's name and version)
differs from what the manifest recorded.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from kg import nlp
from kg.errors import KGError
from kg.model import Article, Extraction
from kg.store import EXTRACTIONS, MANIFEST

log = logging.getLogger(__name__)

FORMAT = 2
PACKAGE = Path(__file__).resolve().parent
# what an extraction depends on besides the article itself
FINGERPRINT_FILES = ("extract/*.py", "nlp.py", "ruler.py", "knowledge.py", "offices.py",
                     "names.py", "model.py", "data/*.json")


class ArticleNotFoundError(KGError):
    """`kg remove` was given an article that the folder's manifest does not list."""


def model_version() -> str:
    """Name and version of the spaCy model `kg.nlp.load` would use, and spaCy's version,
    read from package metadata (spaCy itself is not imported)."""
    found = []
    for name in nlp.MODEL_NAMES:
        try:
            found.append(f"{name}=={metadata.version(name)}")
            break
        except metadata.PackageNotFoundError:
            continue
    with contextlib.suppress(metadata.PackageNotFoundError):
        found.append(f"spacy=={metadata.version('spacy')}")
    return ";".join(found) or "no-model"


def extractor_fingerprint() -> str:
    """A hash of everything extraction depends on: code, knowledge tables, model."""
    h = hashlib.sha256()
    files = sorted({p for pattern in FINGERPRINT_FILES for p in PACKAGE.glob(pattern)})
    for path in files:
        h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    h.update(model_version().encode())
    return h.hexdigest()[:32]


def article_key(article: Article) -> str:
    """The cache key of an article: its text and metadata, not where it was read from."""
    data = json.dumps([article.id, article.text, article.title, article.published, article.url],
                      ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest, or None when there is none (or it is unreadable or old)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    return data


@dataclass
class Plan:
    """Which articles can reuse a cached extraction and which must be extracted."""

    reused: list[Extraction] = field(default_factory=list)
    todo: list[Article] = field(default_factory=list)


@dataclass
class Cache:
    """The cached extractions of an output folder (empty without one)."""

    folder: Path | None
    manifest: dict[str, Any] | None
    fingerprint: str

    @classmethod
    def open(cls, folder: Path | None) -> Cache:
        """The cache of `folder`; it is empty if the extractor changed since it was written."""
        fingerprint = extractor_fingerprint()
        manifest = read_manifest(folder) if folder is not None else None
        if manifest is not None and manifest.get("extractor") != fingerprint:
            log.info("the extractor changed since %s was built: extracting every article",
                     folder)
            manifest = dict(manifest, articles={})
        return cls(folder, manifest, fingerprint)

    def get(self, article: Article) -> Extraction | None:
        """The cached extraction of `article` (with its current source), or None."""
        if self.folder is None or self.manifest is None:
            return None
        entry = self.manifest.get("articles", {}).get(article.id)
        if not isinstance(entry, dict) or entry.get("key") != article_key(article):
            return None
        ex = self.load(article.id)
        return replace(ex, article=article) if ex is not None else None

    def load(self, article_id: str) -> Extraction | None:
        """The extraction stored for `article_id`, or None when missing or unreadable."""
        if self.folder is None:
            return None
        path = self.folder / EXTRACTIONS / f"{article_id}.json"
        try:
            return Extraction.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("%s: unreadable cached extraction, extracting again", path)
            return None

    def plan(self, articles: list[Article]) -> Plan:
        """Split `articles` into reused extractions and articles to extract."""
        plan = Plan()
        for article in articles:
            ex = self.get(article)
            if ex is None:
                plan.todo.append(article)
            else:
                plan.reused.append(ex)
        return plan

    def all(self) -> list[Extraction]:
        """Every extraction the manifest lists (for rebuilding without the sources)."""
        out = []
        for article_id in sorted((self.manifest or {}).get("articles", {})):
            ex = self.load(article_id)
            if ex is None:
                raise ArticleNotFoundError(
                    f"{self.folder}: the extraction of article {article_id} is missing; "
                    f"rebuild from the sources with: kg build SOURCES --out {self.folder}")
            out.append(ex)
        return out

    def find(self, article: str) -> str:
        """The id of the article named by `article`: an id (or a unique prefix of one) or
        the source it was read from (a path, as given or resolved)."""
        entries = (self.manifest or {}).get("articles", {})
        if article in entries:
            return article
        target = Path(article).expanduser()
        resolved = str(target.resolve()) if target.exists() else None
        hits = sorted(aid for aid, e in entries.items()
                      if e.get("source") == article
                      or (resolved and _resolved(e.get("source", "")) == resolved))
        if not hits:
            hits = sorted(aid for aid in entries if len(article) >= 6 and aid.startswith(article))
        if len(hits) != 1:
            what = "matches several articles" if hits else "is not an article of this build"
            raise ArticleNotFoundError(
                f"{article!r} {what} in {self.folder}; give an article id or source as listed "
                f"in {self.folder}/{MANIFEST}")
        return hits[0]


def _resolved(source: str) -> str:
    try:
        return str(Path(source).resolve())
    except OSError:
        return source


def manifest(extractions: list[Extraction], fingerprint: str, **extra: Any) -> dict[str, Any]:
    """The manifest of a build of `extractions` (plus `extra` keys)."""
    return {"format": FORMAT, "extractor": fingerprint,
            "articles": {e.article.id: {"source": e.article.source, "key": article_key(e.article)}
                         for e in sorted(extractions, key=lambda e: e.article.id)},
            **extra}
