"""A simulated Tuya Zigbee lock: a lock MCU and a Zigbee module on a serial line.

Built as Tuya's Zigbee lock standard (shared/seeds/004) and its "MCU
Integration Protocol for Zigbee Lock" describe the product, with a codec of
its own: nothing here imports the gateway's code (``se_gateway_core``) or
the integration.

- `serial_frames`: the UART frame and a byte-by-byte reader that resyncs;
- `serial_line`: the byte stream between MCU and module;
- `units`, `serial_payloads`, `zigbee_payloads`: the DP units and the
  payloads of the serial and the 0xEF00 commands;
- `exchanges`: requests waiting for an answer, with the protocol's retries;
- `profiles`: the products the lock can be;
- `credentials`: what the MCU stores (passwords, keys, fingerprints);
- `mcu_datapoints`, `mcu`: the lock MCU;
- `module`: the Zigbee module bridging the line to cluster 0xEF00;
- `device`: the whole lock as a simulated Zigbee device;
- `alarms`: alarm codes by name, for the control channel.
"""
