"""WP2 / annotation campaign: the fictional patient-record commons and its gold layers."""
