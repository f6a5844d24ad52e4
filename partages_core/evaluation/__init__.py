"""WP6 evaluation: span metrics, confidence intervals, robustness, reproducibility, leaderboard."""
