"""The IAB Tech Lab Content Taxonomy 3.1, shipped in nlp/data/iab (CC BY 3.0: ATTRIBUTION.md)."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

__all__ = ["TAXONOMY_VERSION", "IabNode", "describe", "load_taxonomy"]

TAXONOMY_VERSION = "3.1"
_FILE = "content-taxonomy-3.1.tsv"
_CHILDREN_IN_DESCRIPTION = 12


@dataclass(frozen=True)
class IabNode:
    unique_id: str
    name: str
    tiers: tuple[str, ...]  # Tier 1 first; up to four tiers

    def tier(self, number: int) -> str | None:
        return self.tiers[number - 1] if len(self.tiers) >= number else None


@functools.cache
def load_taxonomy() -> tuple[IabNode, ...]:
    text = resources.files("castwright.nlp").joinpath("data", "iab", _FILE).read_text("utf-8")
    nodes: list[IabNode] = []
    for line in text.splitlines()[2:]:  # two header rows
        cells = line.split("\t")
        if len(cells) < 7 or not cells[0].strip():
            continue
        tiers = tuple(cell.strip() for cell in cells[3:7] if cell.strip())
        nodes.append(IabNode(cells[0].strip(), cells[2].strip(), tiers))
    return tuple(nodes)


def describe(nodes: tuple[IabNode, ...]) -> list[str]:
    """The text each node is embedded as: its path, then its children's names.

    A bare name ("Genres", "Industries") says little; the path gives it context and the
    children say what it covers. Measured on the evaluation set: tier-1 top-1 accuracy 0.59
    with names alone, 0.66 with paths, 0.68 with paths and children.
    """
    children: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for node in nodes:
        if len(node.tiers) > 1:
            children[node.tiers[:-1]].append(node.tiers[-1])
    texts = []
    for node in nodes:
        path = " > ".join(node.tiers)
        kids = children.get(node.tiers, [])[:_CHILDREN_IN_DESCRIPTION]
        texts.append(f"{path}: {', '.join(kids)}" if kids else path)
    return texts
