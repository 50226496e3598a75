"""The one way se_gateway builds the errors users see: translated, with placeholders.

Builders, for an error raised here:

- ``user_error``: the request cannot be carried out as asked (a
  ``ServiceValidationError``);
- ``field_error``: the same, naming the field at fault as ``{field}``;
- ``device_error``: a device failed or did not answer (a
  ``HomeAssistantError``).

``translated_errors`` turns the errors of the layers below into those: failed
Zigbee requests, record fields and the engine's refusals. It is a context
manager, and ``@translate_errors`` applies it to a coroutine function, as Home
Assistant's ``elgato`` does for its device actions. Every key is in
``translations/en.json`` under ``exceptions``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Iterator
import contextlib
import functools
from typing import Any, Final

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import DOMAIN
from .core.engine import RecordError, Refusal, RefusalError
from .gateway.errors import DeliveryFailedError, NoResponseError, RecordFieldError

# The engine's refusals and the keys of their messages; the others name the
# field and say what is wrong with it (``invalid_field``).
REFUSAL_KEYS: Final = {
    Refusal.DUPLICATE_ID: "duplicate_event",
    Refusal.ALREADY_ENDED: "event_already_ended",
    Refusal.UNKNOWN_EVENT: "unknown_received_event",
    Refusal.UNKNOWN_SERVER: "unknown_device",
}


def _placeholders(values: dict[str, object]) -> dict[str, str] | None:
    return {name: str(value) for name, value in values.items()} or None


def user_error(key: str, **placeholders: object) -> ServiceValidationError:
    """Return the translated error of a request that cannot be carried out."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=_placeholders(placeholders),
    )


def field_error(key: str, field: str, **placeholders: object) -> ServiceValidationError:
    """Return the translated error of a request, naming the field at fault."""
    return user_error(key, field=field, **placeholders)


def device_error(key: str, **placeholders: object) -> HomeAssistantError:
    """Return the translated error of a device that failed or did not answer."""
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=_placeholders(placeholders),
    )


def refusal_error(err: RefusalError) -> ServiceValidationError:
    """Return the translated error of a request the engine refused."""
    status = f"0x{int(err.status):02X}"
    match err.reason:
        case Refusal.DUPLICATE_ID:
            return field_error(
                REFUSAL_KEYS[err.reason], err.field, id=err.event_id, status=status
            )
        case Refusal.ALREADY_ENDED:
            return field_error(REFUSAL_KEYS[err.reason], err.field, status=status)
        case Refusal.UNKNOWN_EVENT:
            return field_error(REFUSAL_KEYS[err.reason], err.field, id=err.event_id)
        case Refusal.UNKNOWN_SERVER if err.device is not None:
            return field_error(
                REFUSAL_KEYS[err.reason], err.field, address=err.device.ieee
            )
    return field_error("invalid_field", err.field, error=err.detail)


@contextlib.contextmanager
def translated_errors() -> Iterator[None]:
    """Turn the errors of devices, records and the engine into translated ones."""
    try:
        yield
    except DeliveryFailedError as err:
        raise device_error("device_not_reachable", address=err.ieee) from err
    except NoResponseError as err:
        raise device_error("device_no_answer", address=err.ieee) from err
    except RecordFieldError as err:
        raise field_error(err.problem, err.field, error=err.detail) from None
    except RefusalError as err:
        raise refusal_error(err) from None
    except RecordError as err:
        detail = str(err).removeprefix(f"{err.field}: ")
        raise field_error("invalid_field", err.field, error=detail) from None


def translate_errors[**P, R](
    func: Callable[P, Awaitable[R]],
) -> Callable[P, Coroutine[Any, Any, R]]:
    """Decorate a coroutine function: its errors come out translated."""

    @functools.wraps(func)
    async def translated(*args: P.args, **kwargs: P.kwargs) -> R:
        with translated_errors():
            return await func(*args, **kwargs)

    return translated
