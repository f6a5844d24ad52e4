"""Data governance (WP1 + legal): pseudonymisation, catalog, data-use agreements, audit, disclosure."""
