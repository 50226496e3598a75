"""The Key Establishment cluster (0x0800) agrees with Wireshark's dissector.

Wireshark's ``zbee_zcl_se.ke`` dissector (epan/dissectors/packet-zbee-zcl-se.c,
``dissect_zbee_zcl_ke``) reads, in both directions: Initiate Key Establishment
= suite (16-bit LE), ephemeral data generate time, confirm key generate time,
then the suite 1 certificate as public key (22) | subject (8) | issuer (8) |
profile attribute data (10); Ephemeral Data = QEU / QEV; Confirm Key Data =
MACU / MACV (16); Terminate = status, wait time, suite.

Ours -> Wireshark: every command, both directions, encoded by our cluster
from the Annex C.5 values: each field Wireshark shows has our name, place,
size and bytes. Wireshark -> ours: frames of random values packed by hand
from that layout: Wireshark reads the values, our cluster (zigpy's receive
path) decodes them and encodes the same bytes. (Initiate frames name suite 1:
Wireshark dissects the certificate by the suite field, suite 2's otherwise.)

Frames cut short: Wireshark calls a short Initiate, Confirm or Terminate
malformed, as our cluster does (``MalformedPayload``). It shows Ephemeral Data
of any length ("size depends on suite but without a session we don't know
that here"), which our suite 1 cluster refuses below 22 bytes: a known and
deliberate difference.

Unlike the other Smart Energy dissectors, this one adds its fields straight
under the ZCL tree, not under a "Payload" subtree, so the frames are read from
tshark's PDML here rather than by ``tshark.dissect``; the capture is written
by the shared ``tshark`` helpers.
"""

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path
from random import Random
import struct
import subprocess
from typing import Any
import xml.etree.ElementTree as ET

import pytest
from zigpy.zcl import foundation

from se_gateway_core.clusters import key_establishment as ke
from se_gateway_core.clusters.robust import MalformedPayload
from tests.core.cbke import vectors as c5
from tests.core.cbke.zigpy_cluster import key_establishment_clusters, zcl_frame

from .tshark import ZCL_HEADER_LENGTH, air_frame, write_pcap

PREFIX = "zbee_zcl_se.ke."
RANDOM_FRAMES = 20  # per command and direction


@dataclass(frozen=True)
class Command:
    """One command of one direction, and how Wireshark names its fields."""

    name: str  # our zigpy command name
    command_id: int
    server_to_client: bool
    wireshark_name: str
    # (spec field, Wireshark field, struct format) in frame order; the
    # certificate's four parts are one field of ours, ``identity``
    fields: tuple[tuple[str, str, str], ...]

    @property
    def schema(self) -> type[foundation.CommandSchema]:
        defs = (
            ke.KeyEstablishment.ClientCommandDefs
            if self.server_to_client
            else ke.KeyEstablishment.ServerCommandDefs
        )
        schema: type[foundation.CommandSchema] = getattr(defs, self.name).schema
        return schema

    def pack(self, values: dict[str, Any]) -> bytes:
        """Pack spec values by hand from the spec layout."""
        return b"".join(struct.pack(fmt, values[name]) for name, _, fmt in self.fields)


CERTIFICATE_PARTS = (
    ("reconstruction", 22),
    ("subject", 8),
    ("issuer", 8),
    ("profile", 10),
)


def spec_values(values: dict[str, Any]) -> dict[str, Any]:
    """Our field values with the certificate split into its parts."""
    spec = dict(values)
    if "identity" in spec:
        identity = spec.pop("identity")
        offset = 0
        for part, size in CERTIFICATE_PARTS:
            spec[part] = identity[offset : offset + size]
            offset += size
    return spec


def our_values(spec: dict[str, Any]) -> dict[str, Any]:
    """Spec values with the certificate parts joined into ``identity``."""
    values = dict(spec)
    if "reconstruction" in values:
        values["identity"] = b"".join(values.pop(part) for part, _ in CERTIFICATE_PARTS)
    return values


def _initiate(server_to_client: bool) -> Command:
    side = "response" if server_to_client else "request"
    return Command(
        f"initiate_key_establishment_{side}",
        0x00,
        server_to_client,
        f"Initiate Key Establishment {side.title()}",
        (
            ("key_establishment_suite", "attr.suite", "<H"),
            ("ephemeral_data_generate_time", "init.ephemeral.time", "<B"),
            ("confirm_key_generate_time", "init.confirm.time", "<B"),
            ("reconstruction", "cert.reconst", "22s"),
            ("subject", "cert.subject", "8s"),
            ("issuer", "cert.issuer", "8s"),
            ("profile", "cert.profile", "10s"),
        ),
    )


COMMANDS = [
    _initiate(False),
    _initiate(True),
    Command(
        "ephemeral_data_request",
        0x01,
        False,
        "Ephemeral Data Request",
        (("ephemeral_data", "qeu", "22s"),),
    ),
    Command(
        "ephemeral_data_response",
        0x01,
        True,
        "Ephemeral Data Response",
        (("ephemeral_data", "qev", "22s"),),
    ),
    Command(
        "confirm_key_data_request",
        0x02,
        False,
        "Confirm Key Data Request",
        (("secure_message_authentication_code", "macu", "16s"),),
    ),
    Command(
        "confirm_key_data_response",
        0x02,
        True,
        "Confirm Key Data Response",
        (("secure_message_authentication_code", "macv", "16s"),),
    ),
    *(
        Command(
            "terminate_key_establishment",
            0x03,
            server_to_client,
            "Terminate Key Establishment",
            (
                ("status_code", "terminate.status", "<B"),
                ("wait_time", "terminate.wait.time", "<B"),
                ("key_establishment_suite", "attr.suite", "<H"),
            ),
        )
        for server_to_client in (False, True)
    ),
]

# The Annex C.5 exchange, one command of each kind and direction
ANNEX_VALUES: dict[str, dict[str, Any]] = {
    "initiate_key_establishment_request": {
        "key_establishment_suite": 1,
        "ephemeral_data_generate_time": 3,
        "confirm_key_generate_time": 6,
        "identity": c5.U_CERTIFICATE,
    },
    "initiate_key_establishment_response": {
        "key_establishment_suite": 1,
        "ephemeral_data_generate_time": 5,
        "confirm_key_generate_time": 9,
        "identity": c5.V_CERTIFICATE,
    },
    "ephemeral_data_request": {"ephemeral_data": c5.U_EPHEMERAL_PUBLIC},
    "ephemeral_data_response": {"ephemeral_data": c5.V_EPHEMERAL_PUBLIC},
    "confirm_key_data_request": {"secure_message_authentication_code": c5.MAC_U},
    "confirm_key_data_response": {"secure_message_authentication_code": c5.MAC_V},
    "terminate_key_establishment": {
        "status_code": 6,
        "wait_time": 30,
        "key_establishment_suite": 1,
    },
}


@dataclass(frozen=True)
class Case:
    """One frame of the capture."""

    command: Command
    payload: bytes
    index: int

    @property
    def frame(self) -> bytes:
        return zcl_frame(
            self.command.command_id,
            self.payload,
            server_to_client=self.command.server_to_client,
            tsn=self.index & 0xFF,
        )


@dataclass(frozen=True)
class Shown:
    """A field Wireshark shows: name, offset in the payload, size, bytes, text."""

    name: str
    offset: int
    size: int
    value: str
    show: str
    showname: str


@dataclass(frozen=True)
class Dissected:
    command: Shown
    fields: list[Shown]
    direction: str
    malformed: bool


def _ours(command: Command) -> bytes:
    """Our cluster's encoding of the command with the Annex values."""
    payload: foundation.CommandSchema = command.schema(**ANNEX_VALUES[command.name])
    return payload.serialize()


def _random_values(command: Command, rng: Random) -> dict[str, Any]:
    """Random spec values for every field of the command."""
    values: dict[str, Any] = {}
    for name, _, fmt in command.fields:
        if command.command_id == 0x00 and name == "key_establishment_suite":
            values[name] = 1  # Wireshark lays the certificate out by suite
        elif fmt.endswith("s"):
            values[name] = rng.randbytes(int(fmt[:-1]))
        else:
            values[name] = rng.randrange(1 << (8 * struct.calcsize(fmt)))
    return values


def _cases() -> tuple[list[Case], list[tuple[Case, dict[str, Any]]], list[Case]]:
    rng = Random(0x0800)
    ours = [
        Case(command, _ours(command), index) for index, command in enumerate(COMMANDS)
    ]
    spec: list[tuple[Case, dict[str, Any]]] = []
    for command in COMMANDS:
        for _ in range(RANDOM_FRAMES):
            values = _random_values(command, rng)
            spec.append(
                (Case(command, command.pack(values), len(ours) + len(spec)), values)
            )
    short = [
        Case(command, _ours(command)[:-1], len(ours) + len(spec) + index)
        for index, command in enumerate(COMMANDS)
    ]
    return ours, spec, short


OUR_CASES, SPEC_CASES, SHORT_CASES = _cases()
ALL_CASES = [*OUR_CASES, *(case for case, _ in SPEC_CASES), *SHORT_CASES]


def _shown(element: ET.Element, payload_start: int) -> Shown:
    return Shown(
        name=element.get("name", "").removeprefix(PREFIX),
        offset=int(element.get("pos", "0")) - payload_start,
        size=int(element.get("size", "0")),
        value=element.get("value", ""),
        show=element.get("show", ""),
        showname=element.get("showname", ""),
    )


def _dissected(packet: ET.Element) -> Dissected:
    zcl = next(p for p in packet.iter("proto") if p.get("name") == "zbee_zcl")
    payload_start = int(zcl.get("pos", "0")) + ZCL_HEADER_LENGTH
    fields = [
        _shown(element, payload_start)
        for element in zcl.iter("field")
        if element.get("name", "").startswith(PREFIX)
    ]
    direction = next(
        element.get("show", "")
        for element in zcl.iter("field")
        if element.get("name") == "zbee_zcl.dir"
    )
    return Dissected(
        command=fields[0],
        fields=fields[1:],
        direction=direction,
        malformed=any(p.get("name") == "_ws.malformed" for p in packet.iter("proto")),
    )


@pytest.fixture(scope="module")
def dissections(tmp_path_factory: pytest.TempPathFactory) -> list[Dissected]:
    """Return tshark's reading of every case, from one tshark run."""
    workdir: Path = tmp_path_factory.mktemp("tshark_ke")
    capture = workdir / "frames.pcap"
    config = workdir / "wireshark"
    config.mkdir()
    write_pcap(capture, [air_frame(0x0800, case.frame) for case in ALL_CASES])

    result = subprocess.run(
        ["tshark", "-n", "-r", str(capture), "-T", "pdml"],
        capture_output=True,
        check=True,
        env={**os.environ, "WIRESHARK_CONFIG_DIR": str(config)},
        timeout=60,
    )
    packets = ET.fromstring(result.stdout).findall("packet")
    assert len(packets) == len(ALL_CASES), result.stderr.decode(errors="replace")
    return [_dissected(packet) for packet in packets]


def _decode(case: Case) -> foundation.CommandSchema | bytes:
    clusters = key_establishment_clusters()
    cluster = clusters.receiving(server_to_client=case.command.server_to_client)
    header, payload = cluster.deserialize(case.frame)
    assert header.command_id == case.command.command_id
    return payload


def _assert_command(case: Case, dissected: Dissected) -> None:
    command = case.command
    side = "srv_tx" if command.server_to_client else "srv_rx"

    assert dissected.direction == str(int(command.server_to_client))
    assert dissected.command.name == f"cmd.{side}.id"
    assert int(dissected.command.show, 0) == command.command_id
    assert dissected.command.showname == (
        f"Command: {command.wireshark_name} (0x{command.command_id:02x})"
    )
    assert dissected.command.offset == -1  # the command id precedes the payload


def _expected_rows(case: Case) -> list[tuple[str, int, int, str]]:
    rows = []
    offset = 0
    for _, wireshark, fmt in case.command.fields:
        size = struct.calcsize(fmt)
        rows.append(
            (wireshark, offset, size, case.payload[offset : offset + size].hex())
        )
        offset += size
    return rows


def _rows(dissected: Dissected) -> list[tuple[str, int, int, str]]:
    return [(f.name, f.offset, f.size, f.value) for f in dissected.fields]


def _id(case: Case) -> str:
    return case.command.name + ("-rsp" if case.command.server_to_client else "-req")


def test_every_command_is_covered() -> None:
    names = {(c.name, c.server_to_client) for c in COMMANDS}

    assert len(names) == len(COMMANDS) == 8
    for server_to_client, defs in (
        (False, ke.KeyEstablishment.ServerCommandDefs),
        (True, ke.KeyEstablishment.ClientCommandDefs),
    ):
        assert {name for name, s in names if s is server_to_client} == {
            command.name for command in defs
        }


@pytest.mark.parametrize("case", OUR_CASES, ids=_id)
def test_ours_to_wireshark(case: Case, dissections: list[Dissected]) -> None:
    dissected = dissections[case.index]

    _assert_command(case, dissected)
    assert case.payload == case.command.pack(
        spec_values(ANNEX_VALUES[case.command.name])
    )
    assert _rows(dissected) == _expected_rows(case)
    assert not dissected.malformed
    decoded = _decode(case)
    assert isinstance(decoded, case.command.schema)
    assert decoded.serialize() == case.payload


@pytest.mark.parametrize(
    "group",
    [
        SPEC_CASES[i : i + RANDOM_FRAMES]
        for i in range(0, len(SPEC_CASES), RANDOM_FRAMES)
    ],
    ids=lambda group: _id(group[0][0]),
)
def test_wireshark_to_ours(
    group: list[tuple[Case, dict[str, Any]]], dissections: list[Dissected]
) -> None:
    for case, values in group:
        dissected = dissections[case.index]
        decoded = _decode(case)

        _assert_command(case, dissected)
        assert _rows(dissected) == _expected_rows(case)
        assert not dissected.malformed
        assert isinstance(decoded, case.command.schema)
        for (name, _, fmt), shown in zip(
            case.command.fields, dissected.fields, strict=True
        ):
            if not fmt.endswith("s"):
                assert int(shown.show, 0) == values[name]
        for name, value in our_values(values).items():
            assert getattr(decoded, name) == value, name
        assert decoded.serialize() == case.payload


@pytest.mark.parametrize("case", SHORT_CASES, ids=_id)
def test_cut_short(case: Case, dissections: list[Dissected]) -> None:
    dissected = dissections[case.index]
    ephemeral = case.command.command_id == 0x01

    _assert_command(case, dissected)
    assert isinstance(_decode(case), MalformedPayload)
    assert dissected.malformed is not ephemeral
    if ephemeral:  # Wireshark shows whatever length is there
        assert _rows(dissected) == [
            (case.command.fields[0][1], 0, 21, case.payload.hex())
        ]
