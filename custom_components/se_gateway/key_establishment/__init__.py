"""Certified Smart Energy devices in Home Assistant: certificate, CBKE, link keys.

- ``store``: the gateway's certificate and the devices' CBKE link keys, in a
  private ``Store`` (``.storage/se_gateway.key_establishment``); the private
  key and the link keys never leave it except towards the radio.
- ``certificates``: reading and checking a certificate installation (the
  manual's Appendix B: CA public key, implicit certificate, private key).
- ``runtime``: wires the HA-free core to ZHA's zigpy application: the Smart
  Energy endpoint (``core.se_profile.coordinator``), the CBKE responder
  (``core.cbke.zigbee``), the link keys in the radio and APS encryption
  (``core.cbke.radio``), and the repair issues.
"""
