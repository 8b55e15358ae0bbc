"""The change log of a build: what changed against the previous build of the same folder.

A *fact* here is what an article states, independent of wording and source:
its kind, the entities in each role and its values (title, date, level), so
the same meeting reported by two articles is one fact. Entities are named by
their base (type and normalised name) and compared through the node each base
resolves to, so a merge does not show up as facts lost and added.

`snapshot` records a build (DIR/state.json); `diff` compares two snapshots:
facts added, facts that lost their last supporting article, entities merged
and split, articles added and removed.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from kg.model import Extraction
from kg.resolve import Resolution

LIMIT = 200  # entries listed per section of changes.json (counts are always complete)


def _fact_key(kind: str, roles: dict[str, list[str]], values: dict[str, str]) -> str:
    return json.dumps([kind, sorted((r, sorted(set(k))) for r, k in roles.items()),
                       sorted(values.items())], ensure_ascii=False)


def snapshot(extractions: Iterable[Extraction], res: Resolution, *,
             min_confidence: float = 0.0) -> dict[str, Any]:
    """What the change log of the next build compares against."""
    members = res.members()
    base_of = res.base_of
    facts: dict[str, dict[str, Any]] = {}
    articles = []
    for ex in extractions:
        aid = ex.article.id
        articles.append(aid)
        for f in ex.facts:
            if f.confidence < min_confidence:
                continue
            roles = {r: [base_of[(aid, k)] for k in keys if (aid, k) in base_of]
                     for r, keys in f.roles}
            key = _fact_key(f.kind, roles, dict(f.values))
            entry = facts.setdefault(key, {"text": _describe(f.kind, roles, dict(f.values), res,
                                                             members), "articles": []})
            entry["articles"].append(aid)
    for entry in facts.values():
        entry["articles"] = sorted(set(entry["articles"]))
    labels = {n.slug: n.name for n in res.nodes.values()}
    return {"articles": sorted(articles), "members": dict(sorted(members.items())),
            "labels": dict(sorted(labels.items())), "facts": dict(sorted(facts.items()))}


def _describe(kind: str, roles: dict[str, list[str]], values: dict[str, str], res: Resolution,
              members: dict[str, str]) -> str:
    def names(bases: list[str]) -> str:
        return ", ".join(sorted({res.nodes[members[b]].name for b in bases if b in members}))

    parts = [f"{role}: {names(bases)}" for role, bases in roles.items() if bases]
    parts += [f"{k}: {v}" for k, v in sorted(values.items()) if v]
    return f"{kind} ({'; '.join(parts)})"


def _translate(key: str, node_of: dict[str, str]) -> str:
    kind, roles, values = json.loads(key)
    return _fact_key(kind, {r: [node_of.get(b, b) for b in bases] for r, bases in roles},
                     dict(values))


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """The changes from snapshot `old` (None: the first build) to snapshot `new`."""
    if old is None:
        old = {"articles": [], "members": {}, "labels": {}, "facts": {}}
    node_of = {**old.get("members", {}), **new["members"]}  # a base's node now, else then
    old_facts = {_translate(k, node_of): v for k, v in old.get("facts", {}).items()}
    new_facts = {_translate(k, node_of): v for k, v in new["facts"].items()}
    added = sorted(new_facts[k]["text"] for k in set(new_facts) - set(old_facts))
    lost = sorted(old_facts[k]["text"] for k in set(old_facts) - set(new_facts))
    merged, split = [], []
    old_members, new_members = old.get("members", {}), new["members"]
    common = set(old_members) & set(new_members)
    before: dict[str, set[str]] = defaultdict(set)
    after: dict[str, set[str]] = defaultdict(set)
    for b in common:
        before[new_members[b]].add(old_members[b])
        after[old_members[b]].add(new_members[b])
    labels_old, labels_new = old.get("labels", {}), new["labels"]
    for node, was in sorted(before.items()):
        if len(was) > 1:
            merged.append({"node": node, "label": labels_new.get(node, node),
                           "from": [{"node": w, "label": labels_old.get(w, w)}
                                    for w in sorted(was)]})
    for node, now in sorted(after.items()):
        if len(now) > 1:
            split.append({"node": node, "label": labels_old.get(node, node),
                          "into": [{"node": n, "label": labels_new.get(n, n)}
                                   for n in sorted(now)]})
    arts_old, arts_new = set(old.get("articles", [])), set(new["articles"])
    counts = {"facts_added": len(added), "facts_lost": len(lost),
              "entities_merged": len(merged), "entities_split": len(split),
              "articles_added": len(arts_new - arts_old),
              "articles_removed": len(arts_old - arts_new)}
    return {"first_build": not old.get("members") and not old.get("articles"),
            "counts": counts,
            "articles_added": sorted(arts_new - arts_old)[:LIMIT],
            "articles_removed": sorted(arts_old - arts_new)[:LIMIT],
            "facts_added": added[:LIMIT], "facts_lost": lost[:LIMIT],
            "entities_merged": merged[:LIMIT], "entities_split": split[:LIMIT]}


def summary_line(changes: dict[str, Any]) -> str:
    """One line for the CLI: "+3 facts, -1 fact lost its last support, 1 merge, 0 splits"."""
    c = changes["counts"]
    if changes.get("first_build"):
        return f"first build: {c['facts_added']} facts from {c['articles_added']} articles"
    return (f"{c['articles_added']} article(s) added, {c['articles_removed']} removed; "
            f"{c['facts_added']} fact(s) added, {c['facts_lost']} lost their last support; "
            f"{c['entities_merged']} entit(ies) merged, {c['entities_split']} split")
