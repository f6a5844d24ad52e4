"""WP8 dissemination: dataset/model cards, the site build, demos and the workshop kit."""
