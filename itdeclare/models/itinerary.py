"""The flight legs of the trip into China."""

from __future__ import annotations

from pydantic import Field

from itdeclare.models.base import AirportCode, DomainModel, FlightNumber, Moment


class FlightLeg(DomainModel):
    """One flight: times are local to its airports and carry their UTC offsets."""

    flight: FlightNumber
    from_: AirportCode = Field(alias="from")
    to: AirportCode
    departs_at: Moment
    arrives_at: Moment
