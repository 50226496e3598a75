"""CBKE over zigpy: the gateway as responder (trust centre), and as initiator.

The names the integration and the tests import, from the modules that hold
them:

- ``responder.KeyEstablishmentResponder`` answers the Key Establishment
  requests of every device (client to server), from zigpy's raw frames so
  that a device still being interviewed is served; the link key goes into
  the radio before the Confirm Key Data Response, and ``on_outcome`` hears
  of every ended exchange.
- ``initiator.KeyEstablishmentInitiator`` is the "aux" role towards a meter
  with its own Key Establishment server; ``establish`` returns the
  ``Outcome``.
- ``frames`` holds what both share: ``Outcome``, the callback types, the
  endpoint, profile and timing constants, and the frame helpers.

Keys and private keys are never logged.
"""

from __future__ import annotations

from .frames import (
    DEFAULT_ENDPOINT_ID,
    SMART_ENERGY_PROFILE,
    STALL_MARGIN_S,
    BusyCheck,
    CredentialsSource,
    LinkKeyInstaller,
    Outcome,
    OutcomeCallback,
)
from .initiator import INITIATE_RESPONSE_TIMEOUT_S, KeyEstablishmentInitiator
from .responder import KeyEstablishmentResponder

__all__ = [
    "DEFAULT_ENDPOINT_ID",
    "INITIATE_RESPONSE_TIMEOUT_S",
    "SMART_ENERGY_PROFILE",
    "STALL_MARGIN_S",
    "BusyCheck",
    "CredentialsSource",
    "KeyEstablishmentInitiator",
    "KeyEstablishmentResponder",
    "LinkKeyInstaller",
    "Outcome",
    "OutcomeCallback",
]
