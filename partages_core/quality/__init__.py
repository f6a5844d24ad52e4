"""WP2 preprocessing and harmonisation: schemas, QC, normalisation, dedup, splits."""
