"""WP4 (oncology) and WP5 (infectiology) extractors: rules and model-backed, one schema each."""
