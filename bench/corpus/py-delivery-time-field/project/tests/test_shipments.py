from datetime import datetime

from shipments import Shipment, carrier_summary, hours, is_late, transit_hours


def make(created, shipped, delivered, carrier="ups"):
    return Shipment("o1", carrier, datetime(2024, 4, *created), datetime(2024, 4, *shipped),
                    datetime(2024, 4, *delivered) if delivered else None)


def test_hours_rounds():
    assert hours(datetime(2024, 1, 1, 1, 30) - datetime(2024, 1, 1)) == 1.5


def test_undelivered_has_no_transit_time():
    assert transit_hours(make((1, 8), (1, 12), None)) is None


def test_transit_starts_at_shipping():
    assert transit_hours(make((1, 8), (2, 8), (3, 20))) == 36.0


def test_on_time_delivery_is_not_late():
    assert is_late(make((1, 0), (1, 0), (2, 0))) is False


def test_summary_skips_undelivered():
    assert carrier_summary([make((1, 8), (1, 9), None)]) == {}
