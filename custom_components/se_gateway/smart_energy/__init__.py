"""The Smart Energy engine in Home Assistant: storage, bus events, entities.

``runtime.SmartEnergyRuntime`` runs one ``engine.GatewayEngine`` per config
entry on ZHA's zigpy application. The other modules each do one job for it:
``tracked_engine`` (the engine, telling when its state changes),
``engine_store`` (HA storage), ``bus_events`` (notifications as bus events),
``activity`` (devices that rejoin or come back), ``devices`` (the SE devices
and their ZHA device entries), ``snapshot`` and ``history`` (what entities and
the calendar read), ``values`` (SE numbers as HA values), the entity modules,
and ``platforms`` (what each platform module adds).
"""
