"""Every se_gateway action, fuzzed: only translated errors, nothing half-applied.

Hypothesis draws each action's data from its fields in ``services.yaml``
(their selectors, examples and ``required``): right types, wrong types,
out-of-range numbers, garbage text (NUL, lone surrogates, long), missing
required fields and extra keys. The cases are drawn first (a fixed seed, a
bounded number per action) and then called, one after another, against one
simulated network with a meter, an in-home display and a Tuya lock.

For every call:

- only a ``ServiceValidationError`` or ``HomeAssistantError`` of se_gateway
  whose translation key is in ``translations/en.json`` ``exceptions`` may
  escape;
- a refusal (``ServiceValidationError``) changes nothing: the gateway store
  (aliases, devices and keys, report subscriptions), the engine's state and
  the entry's options and subentries are as before, and no device received a
  frame (the simulator's ``captured``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
import json
import math
from pathlib import Path
import time
from typing import Any, Final

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.core import HomeAssistant, SupportsResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml
from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Basic, Identify
from zigpy.zcl.clusters.smartenergy import Metering

from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.gateway import zcl as gateway_zcl
from custom_components.se_gateway.services import se_asking
from network_simulator import Network, SimulatedDevice, catalogue
from network_simulator.heavy_kinds import tuya_lock
from network_simulator.smart_energy import in_home_display

from .conftest import wait_for

COMPONENT: Final = Path(__file__).parent.parent / "custom_components" / DOMAIN
SERVICES_YAML: Final = yaml.safe_load((COMPONENT / "services.yaml").read_text())
EXCEPTION_KEYS: Final = frozenset(
    json.loads((COMPONENT / "translations" / "en.json").read_text())["exceptions"]
)
CASES_PER_ACTION: Final = 5
# Actions whose records or paths reach deeper code get more cases.
MORE_CASES: Final = {
    "write_attributes": 40,
    "start_receiving_reports": 20,
    "stop_receiving_reports": 10,
    "read_reporting_configuration": 10,
    "update_lock_firmware": 30,
    "add_device": 10,
}
# Devices that do not answer make a request wait this long (10 s in use).
ANSWER_TIMEOUT_S: Final = 0.3
CALL_LIMIT_S: Final = 20.0
UNKNOWN_IEEE: Final = "00:11:22:33:44:55:66:77"
ZDO_PROFILE: Final = 0
FRAME_TYPE_MASK: Final = 0x03
MANUFACTURER_SPECIFIC: Final = 0x04
DEFAULT_RESPONSE: Final = 0x0B
# Actions whose right values would take a shared device off the network.
DESTRUCTIVE: Final = frozenset({"remove_device"})

GARBAGE_TEXT: Final = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "\udcff",
    "0x",
    "0xZZ",
    "-1",
    "1e400",
    "nan",
    "☃" * 40,
    "x" * 5000,
    "{{ states('sensor.x') }}",
    "../../../etc/passwd",
    "/config/\ud800.bin",
)
WRONG_VALUES: Final = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(GARBAGE_TEXT),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _fields(service: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Return a service's fields, sections flattened."""
    fields: dict[str, dict[str, Any]] = {}
    for name, spec in ((service or {}).get("fields") or {}).items():
        if isinstance(spec, dict) and "fields" in spec:
            fields.update(spec["fields"])
        else:
            fields[name] = spec or {}
    return fields


def _number(selector: dict[str, Any]) -> st.SearchStrategy[Any]:
    low = selector.get("min", -(2**31))
    high = selector.get("max", 2**31)
    right = (
        st.integers(min_value=math.ceil(low), max_value=math.floor(high))
        if float(low).is_integer() and float(high).is_integer()
        else st.floats(min_value=low, max_value=high)
    )
    out_of_range = st.sampled_from([low - 1, high + 1, -(2**64), 2**64, 1e308])
    as_text = right.map(str)
    return st.one_of(right, right, as_text, out_of_range)


# bool, enum8/16, the collections, strings, time of day, date, key.
TRICKY_TYPES: Final = [0x10, 0x30, 0x31, 0x48, 0x4C, 0x50, 0x51, 0x42, 0xE0, 0xE1, 0xF1]
RECORD: Final = st.fixed_dictionaries(
    {"attribute_id": st.integers(min_value=-1, max_value=0x10000)},
    optional={
        # Every ZCL data type (collections, enums, ... too), unknown ones, junk.
        "attribute_type": st.one_of(
            st.sampled_from(TRICKY_TYPES),
            st.sampled_from(sorted({int(d.type_id) for d in foundation.DataType})),
            st.integers(min_value=0, max_value=0xFF),
            WRONG_VALUES,
        ),
        "value": st.one_of(
            st.integers(), st.booleans(), st.floats(), st.sampled_from(GARBAGE_TEXT)
        ),
        "direction": st.one_of(st.integers(min_value=-1, max_value=2), WRONG_VALUES),
        "min_interval": st.integers(min_value=-1, max_value=0x10000),
        "max_interval": st.integers(min_value=-1, max_value=0x10000),
        "reportable_change": st.one_of(st.floats(), st.integers(), WRONG_VALUES),
        "timeout_period": st.integers(min_value=-1, max_value=0x10000),
        "extra": WRONG_VALUES,
    },
)


# A write record of the right shape: any type, any value.
WRITE_RECORD: Final = st.fixed_dictionaries(
    {
        "attribute_id": st.integers(min_value=0, max_value=0xFFFF),
        "attribute_type": st.one_of(
            st.sampled_from(TRICKY_TYPES),
            st.sampled_from(sorted({int(d.type_id) for d in foundation.DataType})),
        ),
        "value": st.one_of(
            st.sampled_from(["on", "x", *GARBAGE_TEXT]),
            st.integers(),
            st.booleans(),
            st.floats(),
        ),
    }
)


def _right(
    service: str, name: str, field: dict[str, Any], addresses: list[str]
) -> st.SearchStrategy[Any]:
    """Return values of the field's type (mostly valid ones)."""
    selector: dict[str, Any] = field.get("selector") or {}
    kind = next(iter(selector), "text")
    options = selector.get(kind) or {}
    examples = [field["example"]] if "example" in field else []
    if name in ("destination_address", "device_address"):
        if service in DESTRUCTIVE:  # the examples are the meter's address too
            return st.sampled_from([UNKNOWN_IEEE, "no_such_alias"])
        return st.sampled_from([*addresses, UNKNOWN_IEEE, "no_such_alias", *examples])
    if kind == "number":
        return st.one_of(_number(options), *map(st.just, examples))
    if kind == "boolean":
        return st.booleans()
    if kind == "select":
        values = [
            option["value"] if isinstance(option, dict) else option
            for option in options.get("options", [])
        ]
        return st.sampled_from(values or [""])
    if kind == "object":
        record = WRITE_RECORD if service == "write_attributes" else RECORD
        return st.one_of(
            st.lists(record, min_size=1, max_size=3),
            st.lists(record, min_size=1, max_size=3),
            st.lists(RECORD, max_size=3),
            *map(st.just, examples),
        )
    if kind == "datetime":
        return st.sampled_from(
            ["2030-01-01 00:00:00", "2000-01-01T00:00:00+00:00", *examples]
        )
    if kind == "duration":
        return st.sampled_from([{"minutes": 30}, {"hours": 1}, 60, *examples])
    return st.one_of(
        st.text(max_size=30), st.sampled_from(GARBAGE_TEXT), *map(st.just, examples)
    )


@st.composite
def service_data(
    draw: st.DrawFn,
    service: str,
    spec: dict[str, Any] | None,
    addresses: list[str],
    targets: list[tuple[str, int, int]],
) -> dict[str, Any]:
    """Draw one call's data for ``service``."""
    fields = _fields(spec)
    data: dict[str, Any] = {}
    for name, field in fields.items():
        if field.get("required") or draw(st.booleans()):
            data[name] = draw(_right(service, name, field, addresses))
    if {"destination_address", "cluster_id"} <= fields.keys() and draw(
        st.integers(0, 9)
    ) < 7:  # mostly a cluster the device has: the request reaches the handler
        address, endpoint, cluster = draw(st.sampled_from(targets))
        data |= {
            "destination_address": address,
            "destination_endpoint_id": endpoint,
            "cluster_id": cluster,
        }
        data.pop("server_or_client", None)
    mutation = draw(st.sampled_from(["none", "wrong", "missing", "extra"]))
    if mutation == "wrong" and fields:
        data[draw(st.sampled_from(sorted(fields)))] = draw(WRONG_VALUES)
    elif mutation == "missing" and data:
        del data[draw(st.sampled_from(sorted(data)))]
    elif mutation == "extra":
        data[draw(st.sampled_from(["bogus", "entity_id", "record", "0"]))] = draw(
            WRONG_VALUES
        )
    return data


def generate_cases(
    addresses: list[str], targets: list[tuple[str, int, int]]
) -> list[tuple[str, dict[str, Any]]]:
    """Draw the calls of every action (fixed seed)."""
    cases: list[tuple[str, dict[str, Any]]] = []

    def collector(service: str, spec: Any) -> Callable[[], None]:
        @settings(
            max_examples=MORE_CASES.get(service, CASES_PER_ACTION),
            derandomize=True,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            deadline=None,
        )
        @given(st.data())
        def collect(data: st.DataObject) -> None:
            drawn = data.draw(service_data(service, spec, addresses, targets))
            cases.append((service, drawn))

        return collect  # type: ignore[no-any-return]

    for service, spec in SERVICES_YAML.items():
        collector(service, spec)()
    return cases


def _state(hass: HomeAssistant, entry: MockConfigEntry) -> Any:
    """Return what a refused call must not change."""
    runtime = entry.runtime_data
    store = runtime.gateway_store
    return (
        {name: alias.as_dict() for name, alias in store.aliases.items()},
        {str(ieee): device.as_dict() for ieee, device in store.devices.items()},
        sorted(sub.as_dict().items() for sub in store.report_subscriptions.all),
        json.dumps(runtime.smart_energy.engine.to_dict(), sort_keys=True, default=str),
        dict(entry.options),
        sorted(entry.subentries),
    )


async def _pair(
    hass: HomeAssistant,
    simulator: Network,
    setup_zha: Callable[..., Coroutine[Any, Any, None]],
    se_entry: MockConfigEntry,
) -> tuple[SimulatedDevice, SimulatedDevice, SimulatedDevice, str]:
    await setup_zha()
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()
    meter = simulator.add_device(catalogue.electricity_meter(changing=False))
    ihd = simulator.add_device(in_home_display(startup_delay_s=0.2))
    lock = simulator.add_device(tuya_lock(startup_delay_s=0.5))
    await hass.services.async_call("zha", "permit", {"duration": 60}, blocking=True)
    registry = er.async_get(hass)

    def ready() -> bool:
        devices = get_zha_gateway(hass).devices
        return all(d.ieee in devices for d in (meter, ihd, lock)) and bool(
            registry.async_get_entity_id("lock", DOMAIN, f"{lock.ieee}-lock")
        )

    await wait_for(hass, ready, timeout=60)
    lock_entity = registry.async_get_entity_id("lock", DOMAIN, f"{lock.ieee}-lock")
    assert lock_entity is not None
    return meter, ihd, lock, lock_entity


def _requests(frames: list[Any]) -> list[Any]:
    """Return the frames that are not ZCL Default Responses.

    Default Responses acknowledge what devices sent on their own (a lock's
    reports), whatever the action did.
    """
    requests = []
    for frame in frames:
        data = bytes(frame.data)
        command_at = 4 if data and data[0] & MANUFACTURER_SPECIFIC else 2
        is_general = bool(data) and data[0] & FRAME_TYPE_MASK == 0
        if not (
            frame.profile_id != ZDO_PROFILE
            and is_general
            and len(data) > command_at
            and data[command_at] == DEFAULT_RESPONSE
        ):
            requests.append(frame)
    return requests


async def _quiet(
    hass: HomeAssistant, simulator: Network, entry: MockConfigEntry
) -> None:
    """Wait until no device received a frame and the state held for a moment.

    An accepted call's answers (a display's confirmation, ...) come later.
    """
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        seen, state = len(simulator.captured), _state(hass, entry)
        await asyncio.sleep(0.1)
        await hass.async_block_till_done()
        if len(simulator.captured) == seen and _state(hass, entry) == state:
            return


async def test_every_action_refuses_cleanly(
    hass: HomeAssistant,
    simulator: Network,
    setup_zha: Callable[..., Coroutine[Any, Any, None]],
    se_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(gateway_zcl, "ANSWER_TIMEOUT_S", ANSWER_TIMEOUT_S)
    monkeypatch.setattr(se_asking, "ANSWER_TIMEOUT_S", ANSWER_TIMEOUT_S)
    meter, ihd, lock, lock_entity = await _pair(hass, simulator, setup_zha, se_entry)
    await wait_for(hass, lambda: lock.time_synced, timeout=15)
    await _quiet(hass, simulator, se_entry)
    addresses = [str(meter.ieee), str(ihd.ieee), str(lock.ieee)]
    targets = [
        (str(meter.ieee), 1, Basic.cluster_id),
        (str(meter.ieee), 1, Metering.cluster_id),
        (str(meter.ieee), 1, Identify.cluster_id),
        (str(lock.ieee), 1, Basic.cluster_id),
    ]
    cases = generate_cases(addresses, targets)
    assert len(cases) == sum(
        MORE_CASES.get(service, CASES_PER_ACTION) for service in SERVICES_YAML
    )

    escapes: list[str] = []
    refusals = 0
    for service, data in cases:
        target = (
            {"entity_id": lock_entity}
            if "target" in (SERVICES_YAML[service] or {})
            else None
        )
        supports = hass.services.supports_response(DOMAIN, service)
        before_state = _state(hass, se_entry)
        before_frames = len(simulator.captured)
        case = f"{service} {data!r}"
        try:
            async with asyncio.timeout(CALL_LIMIT_S):
                await hass.services.async_call(
                    DOMAIN,
                    service,
                    dict(data),
                    blocking=True,
                    target=target,
                    return_response=supports is not SupportsResponse.NONE,
                )
        except HomeAssistantError as err:
            if (
                err.translation_domain != DOMAIN
                or err.translation_key not in EXCEPTION_KEYS
            ):
                escapes.append(f"{case}: untranslated {err!r}")
                continue
            if not isinstance(err, ServiceValidationError):
                await _quiet(
                    hass, simulator, se_entry
                )  # what it sent is not the next's
                continue
            refusals += 1
            await hass.async_block_till_done()
            if _state(hass, se_entry) != before_state:
                escapes.append(f"{case}: refused ({err.translation_key}), but changed")
            if sent := _requests(simulator.captured[before_frames:]):
                escapes.append(
                    f"{case}: refused ({err.translation_key}), but sent {sent!r}"
                )
        except Exception as err:
            escapes.append(f"{case}: {type(err).__name__}: {err!r}")
        else:
            await _quiet(hass, simulator, se_entry)

    assert not escapes, "\n".join(escapes)
    # The fuzz reached the handlers, not only the schemas: most calls are refused,
    # but not all.
    assert 0 < refusals < len(cases)
