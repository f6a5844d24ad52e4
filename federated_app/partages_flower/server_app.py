"""ServerApp: sign one request per enrolled site, wait up to the deadline, verify and pool the replies."""

from partages_core.federated.flower import server_app

app = server_app()
