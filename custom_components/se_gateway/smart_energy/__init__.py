"""The Smart Energy engine in Home Assistant: storage, bus events, entities.

``runtime.SmartEnergyRuntime`` runs one ``engine.GatewayEngine`` per config
entry on ZHA's zigpy application. The other modules each do one job for it:
``storage`` (HA storage), ``bus_events`` (notifications as bus events),
``activity`` (devices that rejoin or come back), ``devices`` (the tracker of
SE devices and their ZHA device entries), ``snapshot`` and ``history`` (what
entities and the calendar read), ``values`` (SE numbers as HA values), and
the entity modules, whose factories the platform files call.
"""
