"""WP7 federated validation: each facility is a node, only disclosure-controlled counts leave it.

``node`` (site policy, local evaluation, audit log), ``coordinator`` (quorum, deadline, pooling),
``messages`` (Ed25519-signed envelopes, nonces), ``federation`` (the ``Federation`` and its node
config format), ``flower`` (the same node and coordinator code over a real Flower deployment, as
the committed app ``partages_flower``). Tasks, systems and their digests are the evaluation
stage's; small-count suppression is ``governance.disclosure``.
"""
