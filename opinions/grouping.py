"""Groups participants by their votes: the numbers alone, without the database.

The participant × statement matrix holds agree 1, disagree -1 and pass or unseen 0 (a sparse
matrix: most people see few statements). Its principal components (PCA, centred implicitly so the
matrix stays sparse) place each participant on a few axes of disagreement; a participant who saw
few statements is moved outward in proportion, so that having voted little does not read as
being in the middle. K-means then finds 2 to 5 groups, choosing the number with the best
silhouette score. Agreement per group is smoothed ((agrees + 1) / (votes + 2)), so that a
statement seen by few counts for little.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

# Votes a participant needs to be placed in a group.
MINIMUM_VOTES = 3
# Axes the groups are found on; the first two are drawn.
COMPONENTS = 4
GROUP_COUNTS = range(2, 6)
# Participants the silhouette score is computed on (its cost grows with their square).
SILHOUETTE_SAMPLE = 3000
# A statement unites the groups when at least this share of every group agrees.
CONSENSUS_AGREEMENT = 0.6
# A statement divides them when the agreement of two groups differs by at least this much.
DIVISIVE_GAP = 0.3
SEED = 0


@dataclass(frozen=True)
class Grouping:
    labels: np.ndarray  # per participant row: its group, or -1 when not placed
    positions: np.ndarray  # per participant row: its place on the first two axes
    agree: np.ndarray  # group × statement counts
    disagree: np.ndarray
    passes: np.ndarray

    @property
    def group_count(self) -> int:
        return self.agree.shape[0]

    def agreement(self) -> np.ndarray:
        """Smoothed share of each group that agrees with each statement."""
        votes = self.agree + self.disagree + self.passes
        return (self.agree + 1) / (votes + 2)


def group_votes(
    participants: np.ndarray, statements: np.ndarray, choices: np.ndarray, *, shape
) -> Grouping:
    """Groups the rows of the vote matrix given as (participant, statement, choice) triples."""
    people, statement_count = shape
    votes_per_person = np.bincount(participants, minlength=people)
    placed = votes_per_person >= MINIMUM_VOTES
    labels = np.full(people, -1)
    positions = np.zeros((people, 2))
    empty = np.zeros((0, statement_count), dtype=int)
    if placed.sum() < 2 * min(GROUP_COUNTS) or statement_count < 2:
        return Grouping(labels, positions, empty, empty, empty)

    matrix = sparse.csr_matrix(
        (choices.astype(np.float32), (participants, statements)), shape=shape
    )[placed]
    components = min(COMPONENTS, statement_count - 1, matrix.shape[0] - 1)
    projected = PCA(n_components=components, svd_solver="covariance_eigh").fit_transform(matrix)
    projected *= np.sqrt(statement_count / votes_per_person[placed])[:, None]

    rng = np.random.default_rng(SEED)
    sample = min(SILHOUETTE_SAMPLE, matrix.shape[0])
    best, best_score = None, -2.0
    for k in GROUP_COUNTS:
        if k >= matrix.shape[0]:
            break
        found = KMeans(n_clusters=k, n_init=4, random_state=SEED).fit_predict(projected)
        if len(set(found)) < 2:
            continue
        score = silhouette_score(
            projected, found, sample_size=sample, random_state=int(rng.integers(1 << 31))
        )
        if score > best_score:
            best, best_score = found, score
    if best is None:
        return Grouping(labels, positions, empty, empty, empty)

    labels[placed] = best
    positions[placed] = projected[:, :2] if components >= 2 else np.c_[projected, projected * 0]
    k = best.max() + 1
    member = labels[participants] >= 0
    cell = labels[participants[member]] * statement_count + statements[member]
    chosen = choices[member]

    def count(value) -> np.ndarray:
        hits = np.bincount(cell[chosen == value], minlength=k * statement_count)
        return hits.reshape(k, statement_count)

    return Grouping(labels, positions, count(1), count(-1), count(0))


def consensus_order(agreement: np.ndarray) -> list[int]:
    """Statements most agreed with by the least agreeing group, while every group agrees."""
    least = agreement.min(axis=0)
    chosen = np.flatnonzero(least >= CONSENSUS_AGREEMENT)
    return [int(i) for i in chosen[np.argsort(-least[chosen], kind="stable")]]


def divisive_order(agreement: np.ndarray) -> list[int]:
    """Statements on which two groups differ most."""
    gap = agreement.max(axis=0) - agreement.min(axis=0)
    chosen = np.flatnonzero(gap >= DIVISIVE_GAP)
    return [int(i) for i in chosen[np.argsort(-gap[chosen], kind="stable")]]
