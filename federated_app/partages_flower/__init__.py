"""The PARTAGES Flower app: ``server_app`` and ``client_app`` (code in ``partages_core.federated.flower``)."""
