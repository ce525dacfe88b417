"""Cheap "reads alike" scoring shared by the apps: character-bigram Jaccard similarity.

Chinese needs no tokeniser for this: two texts about 路灯不亮 share 路灯, 灯不, 不亮 however the
rest is worded. Callers bound their candidate sets, so the cost stays a small Python loop.
"""


def bigrams(text: str) -> set[str]:
    """Character bigrams of the text without spaces and punctuation."""
    compact = "".join(ch.lower() for ch in text if ch.isalnum())
    if len(compact) < 2:
        return {compact} if compact else set()
    return {compact[index : index + 2] for index in range(len(compact) - 1)}


def jaccard(first: set[str], second: set[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)
