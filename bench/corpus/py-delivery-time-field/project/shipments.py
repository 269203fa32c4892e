"""Shipment tracking metrics: transit times, late deliveries and carrier summaries."""

from dataclasses import dataclass
from datetime import datetime
from typing import Optional


@dataclass
class Shipment:
    order_id: str
    carrier: str
    created_at: datetime
    shipped_at: datetime
    delivered_at: Optional[datetime] = None
    promised_hours: int = 48


def hours(delta):
    return round(delta.total_seconds() / 3600, 1)


def transit_hours(shipment):
    """Hours between handing the parcel to the carrier and delivery."""
    if shipment.delivered_at is None:
        return None
    return hours(shipment.delivered_at - shipment.created_at)


def is_late(shipment):
    transit = transit_hours(shipment)
    return transit is not None and transit > shipment.promised_hours


def carrier_summary(shipments):
    summary = {}
    for s in shipments:
        transit = transit_hours(s)
        if transit is None:
            continue
        entry = summary.setdefault(s.carrier, {"count": 0, "late": 0, "hours": 0.0})
        entry["count"] += 1
        entry["hours"] += transit
        entry["late"] += is_late(s)
    return summary
