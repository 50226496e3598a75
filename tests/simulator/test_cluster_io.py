"""Clusters that send their own commands and take the answers."""

from __future__ import annotations

from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Basic, Time

from network_simulator.cluster_io import (
    RequestingCluster,
    cluster_frame,
    default_response,
)
from network_simulator.zcl import SimulatedCluster

GENERAL = foundation.GeneralCommand
Status = foundation.Status


def header(data: bytes) -> foundation.ZCLHeader:
    hdr, _payload = foundation.ZCLHeader.deserialize(data)
    return hdr


def test_answers_are_decoded_and_kept() -> None:
    cluster = RequestingCluster(Time, is_server=False)
    hdr = foundation.ZCLHeader.general(tsn=4, command_id=GENERAL.Default_Response)

    assert cluster.handle(hdr, b"\x00\x8b") == []
    assert cluster.handle(hdr, b"\x00") == []  # malformed: dropped

    [(answer_hdr, answer)] = cluster.answers
    assert answer_hdr.tsn == 4
    assert answer.status == Status.NOT_FOUND
    assert len(cluster.received) == 2


def test_other_commands_are_handled_as_usual() -> None:
    cluster = RequestingCluster(Basic, values={0x0004: "se_gateway"})
    read = foundation.ZCLHeader.general(tsn=5, command_id=GENERAL.Read_Attributes)

    [reply] = cluster.handle(read, b"\x04\x00")

    assert header(reply).command_id == GENERAL.Read_Attributes_rsp
    assert cluster.answers == []


def test_cluster_frames_keep_zigpy_default_response_choice() -> None:
    server = SimulatedCluster(Basic)
    client = SimulatedCluster(Time, is_server=False)

    from_server = header(cluster_frame(server, 1, 0x00, b""))
    from_client = header(cluster_frame(client, 1, 0x00, b""))
    asking = header(cluster_frame(server, 1, 0x00, b"", disable_default_response=False))

    assert from_server.frame_control.disable_default_response
    assert from_server.direction == foundation.Direction.Server_to_Client
    assert not from_client.frame_control.disable_default_response
    assert from_client.direction == foundation.Direction.Client_to_Server
    assert not asking.frame_control.disable_default_response


def test_default_response_only_when_asked_or_failed() -> None:
    cluster = SimulatedCluster(Basic)
    quiet = header(cluster_frame(cluster, 9, 0x02, b""))

    assert default_response(cluster, quiet, Status.SUCCESS) == []
    [failure] = default_response(cluster, quiet, Status.NOT_FOUND)
    assert header(failure).command_id == GENERAL.Default_Response
    assert header(failure).tsn == 9
