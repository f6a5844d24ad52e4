"""ClientApp: the site's ``Node`` answers one signed request with disclosure-controlled counts."""

from partages_core.federated.flower import client_app

app = client_app()
