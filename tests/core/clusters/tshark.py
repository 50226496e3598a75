"""Wireshark's ZigBee dissectors, run once through tshark over a capture file.

Each ZCL frame is wrapped in the headers a sniffer would see on the air: an
IEEE 802.15.4 data frame (no FCS), an unsecured ZigBee NWK data frame and an
APS data frame naming the cluster and the Home Automation profile, which is
the profile ZHA's devices use. tshark's default heuristics take it from there
(802.15.4 -> ZigBee NWK -> APS -> ZCL -> the Smart Energy cluster dissectors).

tshark runs with an empty configuration folder, so that no personal
preference changes what it decodes, and writes PDML: every field with its
name, position, size and the value it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path
import struct
import subprocess
from typing import Final
import xml.etree.ElementTree as ET

LINKTYPE_IEEE802_15_4_NOFCS: Final = 230
HA_PROFILE: Final = 0x0104
PAN_ID: Final = 0x1A62
COORDINATOR: Final = 0x0000
DEVICE: Final = 0x1234
ENDPOINT: Final = 1
ZCL_HEADER_LENGTH: Final = 3  # frame control, sequence number, command id

# 802.15.4 data frame, PAN id compression, short destination and source
MAC_HEADER: Final = struct.pack("<HBHHH", 0x8841, 0, PAN_ID, COORDINATOR, DEVICE)
# ZigBee NWK data frame, protocol version 2, no security
NWK_HEADER: Final = struct.pack("<HHHBB", 0x0008, COORDINATOR, DEVICE, 30, 0)


def air_frame(cluster_id: int, zcl_frame: bytes) -> bytes:
    """Return a ZCL frame under 802.15.4, NWK and APS (unicast data) headers."""
    aps = struct.pack("<BBHHBB", 0x00, ENDPOINT, cluster_id, HA_PROFILE, ENDPOINT, 0)
    return MAC_HEADER + NWK_HEADER + aps + zcl_frame


def write_pcap(path: Path, frames: list[bytes]) -> None:
    """Write the frames as a classic pcap file of 802.15.4 frames without FCS."""
    header = struct.pack(
        "<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 0xFFFF, LINKTYPE_IEEE802_15_4_NOFCS
    )
    records = b"".join(
        struct.pack("<IIII", number, 0, len(frame), len(frame)) + frame
        for number, frame in enumerate(frames)
    )
    path.write_bytes(header + records)


@dataclass(frozen=True)
class Field:
    """One field Wireshark decoded: its position counts from the ZCL payload."""

    name: str
    offset: int
    size: int
    show: str
    showname: str
    children: tuple[Field, ...]

    def child(self, name: str) -> Field:
        """Return the subfield (bit field) of that name."""
        return next(field for field in self.children if field.name == name)


@dataclass(frozen=True)
class Dissection:
    """What Wireshark made of one ZCL frame."""

    header: dict[str, str]  # ZCL header field name -> shown value
    command: Field  # zbee_zcl_se.<cluster>.cmd.srv_tx.id / srv_rx.id
    payload: tuple[Field, ...]  # top-level payload fields, in frame order
    malformed: bool


def _field(element: ET.Element, payload_start: int) -> Field:
    return Field(
        name=element.get("name", ""),
        offset=int(element.get("pos", "0")) - payload_start,
        size=int(element.get("size", "0")),
        show=element.get("show", ""),
        showname=element.get("showname", ""),
        children=tuple(
            _field(child, payload_start) for child in element.findall("field")
        ),
    )


def _dissection(packet: ET.Element) -> Dissection:
    zcl = next(p for p in packet.iter("proto") if p.get("name") == "zbee_zcl")
    payload_start = int(zcl.get("pos", "0")) + ZCL_HEADER_LENGTH
    header: dict[str, str] = {}
    command: Field | None = None
    payload: tuple[Field, ...] = ()

    for element in zcl.iter("field"):
        name = element.get("name", "")

        if name.startswith("zbee_zcl.") and name not in header:
            header[name] = element.get("show", "")
        elif ".cmd.srv_" in name:
            command = _field(element, payload_start)
        elif element.get("show") == "Payload":
            payload = tuple(
                _field(child, payload_start) for child in element.findall("field")
            )

    assert command is not None, "tshark did not find the Smart Energy command"
    return Dissection(
        header=header,
        command=command,
        payload=payload,
        malformed=any(p.get("name") == "_ws.malformed" for p in packet.iter("proto")),
    )


def dissect(frames: list[tuple[int, bytes]], workdir: Path) -> list[Dissection]:
    """Return tshark's dissection of each (cluster id, ZCL frame), in one run."""
    capture = workdir / "frames.pcap"
    config = workdir / "wireshark"
    config.mkdir(exist_ok=True)
    write_pcap(capture, [air_frame(cluster_id, frame) for cluster_id, frame in frames])

    result = subprocess.run(
        ["tshark", "-n", "-r", str(capture), "-T", "pdml"],
        capture_output=True,
        check=True,
        env={**os.environ, "WIRESHARK_CONFIG_DIR": str(config)},
        timeout=60,
    )
    packets = ET.fromstring(result.stdout).findall("packet")
    assert len(packets) == len(frames), result.stderr.decode(errors="replace")
    return [_dissection(packet) for packet in packets]
