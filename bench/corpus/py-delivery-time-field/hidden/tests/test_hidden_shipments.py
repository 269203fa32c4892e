from datetime import datetime

from shipments import Shipment, carrier_summary, is_late


def test_slow_warehouse_does_not_make_carrier_late():
    s = Shipment("o2", "dhl", datetime(2024, 4, 1), datetime(2024, 4, 4), datetime(2024, 4, 5))
    assert is_late(s) is False


def test_summary_counts_per_carrier():
    s = Shipment("o3", "dhl", datetime(2024, 4, 1), datetime(2024, 4, 2), datetime(2024, 4, 5))
    assert carrier_summary([s]) == {"dhl": {"count": 1, "late": 1, "hours": 72.0}}
