"""se_gateway's Home Assistant-free code: what devices say and the protocols.

It imports zigpy, zha-quirks and the zha library, never Home Assistant, and is
importable on its own (``python -c "import se_gateway_core.engine"``). The
integration ships it as ``custom_components/se_gateway/core``.

- ``clusters``: the Smart Energy cluster definitions (checked both ways
  against Wireshark's dissector);
- ``tuya_lock``: the Tuya lock's 0xEF00 codec, cluster and quirk;
- ``se_profile``: the quirk for Smart Energy profile (0x0109) devices;
- ``quirks``: registers the clusters and quirks with zigpy and ZHA;
- ``engine``: the gateway engine, ESI and aux roles.

Nothing registers on import: ``quirks.register()`` does, once per process.
So a second copy of this package in one process (the simulator's) never
competes with the integration's for zigpy's cluster registry.
"""
