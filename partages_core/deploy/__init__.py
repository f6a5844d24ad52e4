"""Deployment (WP7): run the commons' document-level steps over a whole warehouse.

``partages batch run --step pseudonymize|oncology|infectiology|quality --backend local|multiprocess|spark``
reads a PARHAF folder, parquet or a Hugging Face dataset on disk, cuts it into fixed shards, processes
each shard where the backend puts it (in-process, EDS-NLP's multiprocessing back-end, or Spark through
EDS-NLP's Spark back-end), and assembles the shards in order, so every backend writes the same bytes.
"""
