"""Building blocks for Smart Energy command payloads and cluster definitions.

zigpy types the ids of ``ZCLAttributeDef`` / ``ZCLCommandDef`` as ``uint16_t`` /
``uint8_t`` and its ``StructField`` markers as ``StructField``; under strict mypy
neither accepts the plain literals zigpy's own clusters use. The few ``cast``s
needed for that live here, and nowhere else.
"""

from __future__ import annotations

from typing import Final, cast

import zigpy.types as t
from zigpy.zcl import foundation

READ: Final = foundation.ZCLAttributeAccess.Read
READ_WRITE: Final = (
    foundation.ZCLAttributeAccess.Read | foundation.ZCLAttributeAccess.Write
)


def trailing[T](field_type: type[T]) -> T:
    """Declare an optional trailing field of a command payload.

    Later SE revisions append fields to some commands. A trailing field decodes
    when the frame carries it and is ``None`` when an older device omits it.
    """
    return cast(T, t.StructField(type=field_type, optional=True))


def zero_default[T](field_type: type[T]) -> T:
    """Declare bits of an integer struct that default to zero when not given."""
    return cast(T, t.StructField(type=field_type, default=0))


def counted_by[T](list_type: type[T], count_field: str) -> T:
    """Declare a list field whose item count is an earlier field of the payload."""
    return cast(
        T,
        t.StructField(
            type=list_type, length=lambda payload: getattr(payload, count_field)
        ),
    )


def attribute(
    attr_id: int,
    attr_type: type,
    *,
    access: foundation.ZCLAttributeAccess = READ,
    zcl_type: foundation.DataTypeId | None = None,
) -> foundation.ZCLAttributeDef:
    """Return an attribute definition; a server attribute is read-only by default.

    ``zcl_type`` defaults to the ZCL type zigpy infers from ``attr_type``.
    """
    return foundation.ZCLAttributeDef(
        id=cast(t.uint16_t, attr_id),
        type=attr_type,
        access=access,
        zcl_type=cast(foundation.DataTypeId, zcl_type),
    )


def command(
    command_id: int, schema: type[foundation.CommandSchema]
) -> foundation.ZCLCommandDef:
    """Return a command definition; zigpy sets its name and direction."""
    return foundation.ZCLCommandDef(id=cast(t.uint8_t, command_id), schema=schema)


class Payload(foundation.CommandSchema):
    """A command payload whose optional fields may only be left off at the end.

    zigpy skips every optional field that is ``None`` when it encodes, so a gap
    before a later field would shift that field onto the wrong bytes.
    """

    def serialize(self) -> bytes:
        """Encode the payload, refusing a gap among the optional fields."""
        missing: str | None = None

        for field in self.fields:
            if not field.optional:
                continue

            if getattr(self, field.name) is None:
                missing = missing or field.name
            elif missing is not None:
                raise ValueError(
                    f"{field.name!r} is set but the earlier optional field"
                    f" {missing!r} is not"
                )

        return super().serialize()
