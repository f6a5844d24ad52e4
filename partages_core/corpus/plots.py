"""Figures of the commons for notebooks and the site (matplotlib, titled, readable)."""

from __future__ import annotations

import matplotlib.pyplot as plt


def plot_counts(groups: dict[str, dict[str, int]], title: str) -> plt.Figure:
    """One horizontal bar chart per group of counts, side by side."""
    fig, axes = plt.subplots(1, len(groups), figsize=(5 * len(groups), 4), squeeze=False)
    for ax, (name, counts) in zip(axes[0], groups.items()):
        labels = list(counts)
        ax.barh(labels, [counts[k] for k in labels], color="#4c72b0")
        ax.set_title(name)
        ax.set_xlabel("count")
        ax.invert_yaxis()
        ax.tick_params(axis="y", labelsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
