"""WP7 federated validation: each facility is a node, only disclosure-controlled counts leave it.

``node`` (site policy, local evaluation, audit log), ``coordinator`` (quorum, deadline, pooling),
``messages`` (Ed25519-signed envelopes, nonces), ``disclosure`` (small-count suppression),
``evaluators`` (task registry and honest baselines), ``config`` (node config format),
``flower`` (the same node and coordinator code over a real Flower deployment).
"""
